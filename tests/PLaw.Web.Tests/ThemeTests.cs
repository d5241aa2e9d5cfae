using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The theme follows the system until the app-bar toggle picks one; the choice is kept per browser.</summary>
public sealed class ThemeTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task TheThemeFollowsTheSystemUntilTheToggleChoosesAndTheChoiceIsKeptPerBrowser()
    {
        var dark = await dashboard.OpenAsync("/datasets", dark: true);
        var toggle = dark.Locator("#theme-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-mode", "system");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-dark", "true");

        // system → light: the page turns light although the system prefers dark, and a reload keeps the choice.
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-mode", "light");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-dark", "false");
        Assert.Equal("light", await dark.EvaluateAsync<string>("() => localStorage.getItem('plaw-theme')"));
        await dark.ReloadAsync();
        await dark.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(dark.Locator("#theme-toggle")).ToHaveAttributeAsync("data-mode", "light");
        await Assertions.Expect(dark.Locator("#theme-toggle")).ToHaveAttributeAsync("data-dark", "false");
        var background = await dark.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.Equal("rgb(247, 248, 250)", background);

        // Another browser (its own storage) still follows its system.
        var other = await dashboard.OpenAsync("/datasets", dark: true);
        await Assertions.Expect(other.Locator("#theme-toggle")).ToHaveAttributeAsync("data-mode", "system");
        await Assertions.Expect(other.Locator("#theme-toggle")).ToHaveAttributeAsync("data-dark", "true");
        Assert.Equal("rgb(16, 21, 28)", await other.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));
        await other.Context.CloseAsync();
        await dark.Context.CloseAsync();
    }
}
