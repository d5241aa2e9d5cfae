namespace PLaw.Data.Import;

/// <summary>
/// An interaction file that does not match its format. The message reads
/// <c>{source}:{line}: expected {expected}, found '{snippet}'</c> with a 1-based line number.
/// </summary>
public sealed class DataFormatException : Exception
{
    private const int SnippetLength = 120;

    public DataFormatException(string source, long line, string expected, ReadOnlySpan<char> found)
        : base($"{source}:{line}: expected {expected}, found '{Snippet(found)}'")
    {
        Source = source;
        Line = line;
        Expected = expected;
    }

    /// <summary>The file name (or stream name) being read; hides <see cref="Exception.Source"/>.</summary>
    public new string Source { get; }

    /// <summary>1-based line number.</summary>
    public long Line { get; }

    public string Expected { get; }

    /// <summary>The text shown in messages: tabs made visible, long text cut.</summary>
    private static string Snippet(ReadOnlySpan<char> found)
    {
        var cut = found.Length > SnippetLength ? found[..SnippetLength] : found;
        var text = cut.ToString().Replace("\t", "\\t").Replace("\r", "\\r");
        return found.Length > SnippetLength ? text + "…" : text;
    }
}
