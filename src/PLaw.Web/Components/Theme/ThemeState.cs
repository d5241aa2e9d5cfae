namespace PLaw.Web.Components.Theme;

/// <summary>
/// The circuit's current chart palette (one per circuit: a scoped service). The layout sets it; every chart subscribes and
/// redraws in the new mode, whatever its page is doing.
/// </summary>
public sealed class ThemeState
{
    public ChartPalette Palette { get; private set; } = PLawTheme.ChartPalette(dark: false);

    public event Action<ChartPalette>? Changed;

    public void Set(bool dark)
    {
        if (Palette.Dark == dark) return;
        Palette = PLawTheme.ChartPalette(dark);
        Changed?.Invoke(Palette);
    }
}
