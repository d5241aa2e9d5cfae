using Microsoft.Playwright;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>Driving Radzen inputs as a person does; each is found by the Name given to it in the page.</summary>
public static class RadzenInputs
{
    /// <summary>Opens the dropdown whose input is named <paramref name="inputName"/> and clicks the item showing <paramref name="text"/>.</summary>
    public static async Task ChooseAsync(IPage page, string inputName, string text)
    {
        await page.Locator($".rz-dropdown:has(input[name={inputName}])").ClickAsync();
        await page.Locator(".rz-dropdown-item", new() { HasText = text }).First.ClickAsync();
    }

    /// <summary>Types into a field and leaves it, so the page sees the change.</summary>
    public static async Task FillAsync(IPage page, string inputName, string value)
    {
        var input = page.Locator($"input[name={inputName}]");
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }
}
