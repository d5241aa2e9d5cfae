using Microsoft.Playwright;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>
/// MudBlazor selects as the run pages' tests drive them. MudSelect renders class "mud-select" on its outer div and on its
/// input control, so <c>.mud-select:has(#id)</c> matches twice; this clicks the input control holding the input.
/// </summary>
public static class RunPageInputs
{
    /// <summary>Opens the select whose input has id <paramref name="inputId"/> and clicks the item showing exactly <paramref name="text"/>.</summary>
    public static async Task ChooseAsync(IPage page, string inputId, string text)
    {
        await OpenAsync(page, inputId);
        var item = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = text });
        await item.GetByText(text, new() { Exact = true }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    /// <summary>Opens the select's list (its items are then <c>.mud-popover-open .mud-list-item</c>).</summary>
    public static async Task OpenAsync(IPage page, string inputId) =>
        await page.Locator($".mud-input-control.mud-select:has(#{inputId})").ClickAsync();
}
