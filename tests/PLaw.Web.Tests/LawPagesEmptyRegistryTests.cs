using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The law pages of a fresh dashboard (the demo dataset, no runs): each says what to do next, in both modes.</summary>
public sealed class LawPagesEmptyRegistryTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Theory]
    [InlineData("/laws", false)]
    [InlineData("/laws", true)]
    [InlineData("/optima", false)]
    [InlineData("/optima", true)]
    [InlineData("/frameworks", false)]
    [InlineData("/frameworks", true)]
    public async Task WithoutRunsEachLawPagePointsToTheDemoStudyAndToANewStudy(string path, bool dark)
    {
        var page = await dashboard.OpenAsync(path, dark);
        var empty = page.Locator("#law-empty");
        await Assertions.Expect(empty).ToContainTextAsync("queue the demo study on the Runs page", new() { IgnoreCase = true });
        await Assertions.Expect(empty.Locator("a[href='/runs']")).ToHaveTextAsync("Runs page");
        await Assertions.Expect(empty.Locator("a[href='/studies/new']")).ToHaveTextAsync("Create a study");
        // Nothing to share yet: no Copy link button for a view that does not exist.
        await Assertions.Expect(page.Locator("#copy-link")).ToHaveCountAsync(0);
        await Accessibility.AssertCleanAsync(page, $"{path} without runs ({(dark ? "dark" : "light")})");
    }
}
