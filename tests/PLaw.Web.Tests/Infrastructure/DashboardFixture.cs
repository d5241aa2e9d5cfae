namespace PLaw.Web.Tests.Infrastructure;

/// <summary>One dashboard (fresh registry with the demo dataset) and one browser, shared by a test class.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly BrowserFixture browser = new();

    public DashboardServer Server { get; private set; } = default!;
    public Microsoft.Playwright.IBrowser Browser => browser.Browser;

    public async Task InitializeAsync()
    {
        await browser.InitializeAsync();
        Server = await DashboardServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
    }

    /// <summary>
    /// A new browser context (its own cookies and storage, as a second person would have) on <paramref name="path"/>, interactive;
    /// <paramref name="dark"/> makes the system prefer a dark colour scheme, which the dashboard follows by default.
    /// </summary>
    public Task<Microsoft.Playwright.IPage> OpenAsync(string path, bool dark = false, int width = 1280) => browser.OpenAsync(Server.BaseUrl, path, dark, width);
}
