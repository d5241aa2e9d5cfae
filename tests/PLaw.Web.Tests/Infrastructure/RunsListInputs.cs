using Microsoft.Playwright;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>
/// MudBlazor 9 selects as the runs list's tests drive them: MudSelect puts class "mud-select" on its outer div and on its
/// input control, so <c>.mud-select:has(#id)</c> (what <see cref="MudInputs.ChooseAsync"/> clicks) matches twice.
/// </summary>
public static class RunsListInputs
{
    /// <summary>Opens the select whose input has id <paramref name="inputId"/> and clicks the item showing exactly <paramref name="text"/>.</summary>
    public static async Task ChooseAsync(IPage page, string inputId, string text)
    {
        await page.Locator($".mud-input-control.mud-select:has(#{inputId})").ClickAsync();
        var item = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = text });
        await item.GetByText(text, new() { Exact = true }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }
}
