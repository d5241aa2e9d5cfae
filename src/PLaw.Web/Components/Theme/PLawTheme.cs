using MudBlazor;

namespace PLaw.Web.Components.Theme;

/// <summary>The dashboard's MudBlazor theme: one palette per mode; charts take their colours from the same palettes.</summary>
public static class PLawTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1e5b94",
            Secondary = "#b4471f",
            Tertiary = "#2e7d5b",
            // Darker than Material's defaults: text in these colours on white passes WCAG AA (axe's colour-contrast rule).
            Info = "#0b5cad",
            Success = "#1b6e3a",
            Warning = "#8a5300",
            Error = "#b3261e",
            AppbarBackground = "#1e3a5f",
            AppbarText = "#ffffff",
            Background = "#f7f8fa",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            TextPrimary = "#1c2430",
            TextSecondary = "#4a5566",
            LinesDefault = "#d5dae1",
            TableLines = "#e3e7ec",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7ab4ee",
            Secondary = "#f0a07c",
            Tertiary = "#6fcf9f",
            Info = "#7ab4ee",
            Success = "#6fcf9f",
            Warning = "#e6c25a",
            Error = "#ff8a80",
            // Light fills in dark mode carry dark text.
            PrimaryContrastText = "#10151c",
            SecondaryContrastText = "#10151c",
            TertiaryContrastText = "#10151c",
            InfoContrastText = "#10151c",
            SuccessContrastText = "#10151c",
            WarningContrastText = "#10151c",
            ErrorContrastText = "#10151c",
            AppbarBackground = "#141c27",
            AppbarText = "#e8edf3",
            Background = "#10151c",
            Surface = "#18202b",
            DrawerBackground = "#141c27",
            TextPrimary = "#e8edf3",
            TextSecondary = "#aab4c2",
            LinesDefault = "#3a4554",
            TableLines = "#2a3441",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" },
    };

    /// <summary>The series colours of the charts, readable on the mode's surface (first three: HSTU, LLaMA, SASRec order of the pages).</summary>
    private static readonly string[] LightSeries = ["#1e5b94", "#b4471f", "#2e7d5b", "#7b4fa0", "#a07a12", "#1c8a9a", "#c2416b", "#5a6b7d"];
    private static readonly string[] DarkSeries = ["#7ab4ee", "#f0a07c", "#6fcf9f", "#c7a2ea", "#e6c25a", "#6fd3e0", "#f28db0", "#aab4c2"];

    /// <summary>What the chart module needs to draw in the current mode.</summary>
    public static ChartPalette ChartPalette(bool dark)
    {
        var p = dark ? (Palette)Theme.PaletteDark : Theme.PaletteLight;
        return new ChartPalette(dark, p.TextPrimary.ToString(), p.TextSecondary.ToString(), p.LinesDefault.ToString(),
            p.TableLines.ToString(), p.Surface.ToString(), dark ? DarkSeries : LightSeries);
    }
}

/// <summary>Colours handed to wwwroot/js/echart.js (camelCase JSON).</summary>
public sealed record ChartPalette(bool Dark, string Text, string TextSecondary, string Axis, string Split, string Surface, string[] Series);
