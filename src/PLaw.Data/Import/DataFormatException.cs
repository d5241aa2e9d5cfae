namespace PLaw.Data.Import;

/// <summary>
/// An interaction file that does not match its format. The message reads
/// <c>{source}:{line}: expected {expected}, found '{snippet}'</c> with a 1-based line number. What it quotes from the
/// file (the line, a header's names inside <paramref name="expected"/>) is cut and its control characters escaped
/// (<see cref="EchoedText"/>): a 10 MB header or a line of terminal escapes reaches no terminal or page as it is.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>The expectation may quote a header's column names; it is cut at this many characters.</summary>
    private const int ExpectedLength = 400;

    public DataFormatException(string source, long line, string expected, ReadOnlySpan<char> found)
        : base($"{EchoedText.Escape(source)}:{line}: expected {EchoedText.Of(expected, ExpectedLength)}, found '{EchoedText.Of(found)}'")
    {
        Source = source;
        Line = line;
        Expected = EchoedText.Of(expected, ExpectedLength);
    }

    /// <summary>The file name (or stream name) being read; hides <see cref="Exception.Source"/>.</summary>
    public new string Source { get; }

    /// <summary>1-based line number.</summary>
    public long Line { get; }

    public string Expected { get; }
}
