using System.Text;

namespace PLaw.Engine.Training.Options;

/// <summary>The run options as a Markdown table, made from <see cref="RunOptionCatalog"/>: the README's table is this text
/// (<c>plaw options --markdown</c> prints it, and a test holds the README to it).</summary>
public static class RunOptionsTable
{
    public static string Markdown()
    {
        var defaults = new RunOptions();
        var text = new StringBuilder();
        text.AppendLine("| flag | form field | default | range or values | takes part | what it sets |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var o in RunOptionCatalog.All)
        {
            var part = string.Join("; ", new[]
            {
                o.Families is { } families ? string.Join(", ", families) : null,
                o.Condition,
            }.Where(p => p is not null));
            var field = o.Advanced ? $"{o.Label} (more options)" : o.Label;
            text.AppendLine($"| `{o.Flag}` | {field} | {Code(o.Format(o.Get(defaults)))} | {Escape(o.Range)} | {(part.Length == 0 ? "always" : part)} | {Escape(o.Help)} |");
        }
        return text.ToString();
    }

    private static string Code(string value) => value.Length == 0 ? "" : $"`{value}`";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
