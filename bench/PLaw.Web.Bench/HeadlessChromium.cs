using Microsoft.Playwright;

/// <summary>Debian's Chromium, headless, as the browser tests launch it.</summary>
internal sealed class BrowserFixture
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PLAW_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        playwright?.Dispose();
    }
}
