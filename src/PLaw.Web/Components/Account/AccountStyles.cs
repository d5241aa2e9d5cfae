using MudBlazor;
using PLaw.Web.Components.Theme;

namespace PLaw.Web.Components.Account;

/// <summary>
/// The sign-in page renders statically (no circuit, so no MudBlazor theme script): its colours come from the dashboard's
/// palettes as CSS, the dark ones under <c>prefers-color-scheme: dark</c>.
/// </summary>
public static class AccountStyles
{
    public static readonly string Css = Build();

    private static string Vars(Palette p, string primaryText) =>
        $"--plaw-bg: {p.Background}; --plaw-surface: {p.Surface}; --plaw-text: {p.TextPrimary}; --plaw-text2: {p.TextSecondary}; " +
        $"--plaw-primary: {p.Primary}; --plaw-primary-text: {primaryText}; --plaw-lines: {p.LinesDefault}; --plaw-error: {p.Error}; " +
        $"--plaw-bar: {p.AppbarBackground}; --plaw-bar-text: {p.AppbarText};";

    private static string Build()
    {
        var light = PLawTheme.Theme.PaletteLight;
        var dark = PLawTheme.Theme.PaletteDark;
        return $$"""
            :root { color-scheme: light; {{Vars(light, "#ffffff")}} }
            @media (prefers-color-scheme: dark) { :root { color-scheme: dark; {{Vars(dark, dark.PrimaryContrastText.ToString())}} } }
            html, body { background: var(--plaw-bg); color: var(--plaw-text); }
            .plaw-account-bar { background: var(--plaw-bar); color: var(--plaw-bar-text); padding: 0.75rem 1.5rem; font-weight: 500; font-size: 1.1rem; }
            .plaw-account-bar a { color: inherit; text-decoration: none; }
            .plaw-account { display: flex; justify-content: center; padding: 3rem 1rem; font-family: Roboto, Helvetica, Arial, sans-serif; }
            .plaw-account-card { background: var(--plaw-surface); color: var(--plaw-text); border: 1px solid var(--plaw-lines); border-radius: 8px;
                                 padding: 2rem; width: 100%; max-width: 24rem; box-shadow: 0 2px 6px rgba(0,0,0,.12); }
            .plaw-account-card h1 { font-size: 1.5rem; font-weight: 500; margin: 0 0 1.25rem; }
            .plaw-account-card p { color: var(--plaw-text2); line-height: 1.5; }
            .plaw-account-card a { color: var(--plaw-primary); }
            .plaw-account-card code { color: var(--plaw-text); }
            .plaw-account-card label { display: block; font-size: 0.9rem; margin: 1rem 0 0.25rem; color: var(--plaw-text); }
            .plaw-account-card input:not([type=hidden]) { display: block; width: 100%; box-sizing: border-box; padding: 0.6rem 0.75rem; font-size: 1rem;
                                 color: var(--plaw-text); background: var(--plaw-surface); border: 1px solid var(--plaw-text2); border-radius: 4px; }
            .plaw-account-card input:focus { outline: 2px solid var(--plaw-primary); outline-offset: 1px; }
            .plaw-account-card button { margin-top: 1.5rem; width: 100%; padding: 0.65rem; font-size: 0.95rem; font-weight: 500; letter-spacing: .03em;
                                 text-transform: uppercase; border: none; border-radius: 4px; cursor: pointer;
                                 background: var(--plaw-primary); color: var(--plaw-primary-text); }
            .plaw-account-card button.plaw-secondary { background: transparent; color: var(--plaw-primary); border: 1px solid var(--plaw-primary); }
            .plaw-account-error { color: var(--plaw-error) !important; border-left: 3px solid var(--plaw-error); padding-left: 0.75rem; }
            """;
    }
}
