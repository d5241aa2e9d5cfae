using Microsoft.Playwright;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>Driving MudBlazor inputs as a person does; each is found by the InputId given to it in the page.</summary>
public static class MudInputs
{
    /// <summary>Opens the select whose input has id <paramref name="inputId"/> and clicks the item showing exactly <paramref name="text"/>.</summary>
    public static async Task ChooseAsync(IPage page, string inputId, string text)
    {
        await OpenAsync(page, inputId);
        var item = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = text });
        await item.GetByText(text, new() { Exact = true }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    /// <summary>Opens the select's list (its items are then <c>.mud-popover-open .mud-list-item</c>). MudSelect puts class
    /// "mud-select" on its outer div and on its input control; the input control is the one to click.</summary>
    public static async Task OpenAsync(IPage page, string inputId) =>
        await page.Locator($".mud-input-control.mud-select:has(#{inputId})").ClickAsync();

    /// <summary>Types into a field and leaves it, so the page sees the change.</summary>
    public static async Task FillAsync(IPage page, string inputId, string value)
    {
        var input = page.Locator($"#{inputId}");
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    /// <summary>Types into several fields in turn (<see cref="FillAsync(IPage, string, string)"/> each).</summary>
    public static async Task FillAsync(IPage page, params (string InputId, string Value)[] fields)
    {
        foreach (var (id, value) in fields) await FillAsync(page, id, value);
    }
}
