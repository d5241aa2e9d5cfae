using System.Reflection;
using System.Text.Json;
using Microsoft.Playwright;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>axe-core (npm, the repository's node_modules) run inside the page: no serious or critical violation is allowed.</summary>
public static class Accessibility
{
    private static readonly Lazy<string> Script = new(() =>
    {
        var root = typeof(Accessibility).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        var path = Path.Combine(root, "node_modules", "axe-core", "axe.min.js");
        return File.Exists(path) ? File.ReadAllText(path)
            : throw new FileNotFoundException($"The accessibility checks need axe-core at {path} (npm ci at the repository root; the dashboard's build runs it).");
    });

    /// <summary>Runs axe on the page as it is now, with CSS transitions and animations stopped at their end; fails listing each serious or critical violation with the elements it names.</summary>
    public static async Task AssertCleanAsync(IPage page, string what)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
            await page.AddScriptTagAsync(new() { Content = Script.Value });
        var json = await page.EvaluateAsync<string>("""
            async () => {
                // A colour mid-transition (a label fading from its disabled grey as a live run's first metric arrives) is not what
                // anyone reads; axe measures the colours the page settles on.
                const still = document.createElement('style');
                still.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
                document.head.appendChild(still);
                let result;
                try { result = await axe.run(document, { resultTypes: ['violations'] }); } finally { still.remove(); }
                return JSON.stringify(result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary) })));
            }
            """);
        var violations = JsonSerializer.Deserialize<List<Violation>>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        Assert.True(violations.Count == 0,
            $"axe-core on {what} ({page.Url}) found {violations.Count} serious or critical violations:\n" +
            string.Join("\n", violations.Select(v => $"- {v.Id} ({v.Impact}): {v.Help}\n    " + string.Join("\n    ", v.Nodes))));
    }

    private sealed record Violation(string Id, string Impact, string Help, List<string> Nodes);
}
