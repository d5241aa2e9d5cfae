using Microsoft.Playwright;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>Headless Debian Chromium driven by Playwright (no browser download: the system's /usr/bin/chromium).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("PLAW_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
            throw new FileNotFoundException($"Browser tests need Chromium at {executable} (./test.sh installs Debian's chromium).");
        // Assertions wait as long as actions do: on two cores a training run can hold the server's renders for seconds.
        Assertions.SetDefaultExpectTimeout(30_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>
    /// A new browser context (its own cookies and storage, as another person would have) on <paramref name="path"/> of the
    /// dashboard at <paramref name="baseUrl"/>, once the circuit is interactive; <paramref name="dark"/>: the system prefers dark.
    /// </summary>
    public async Task<IPage> OpenAsync(string baseUrl, string path, bool dark = false, int width = 1280, int height = 900, float timeout = 30_000)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = baseUrl,
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
            ViewportSize = new() { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(timeout);
        await page.GotoAsync(path);
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
    }
}
