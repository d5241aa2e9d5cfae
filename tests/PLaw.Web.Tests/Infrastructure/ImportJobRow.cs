using Microsoft.Playwright;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>The Datasets page's import-job row of the dataset named exactly <c>name</c>.</summary>
public static class ImportJobRow
{
    public static ILocator Of(IPage page, string name) =>
        page.Locator(".import-job", new() { Has = page.Locator(".import-name", new() { HasTextRegex = new($"^{name}$") }) });
}
