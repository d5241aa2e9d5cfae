using System.Globalization;
using System.Text;

namespace PLaw.Data.Import;

/// <summary>
/// Input text quoted back in a message (a bad line, a header, a name): control characters written as escapes (<c>\t</c>,
/// <c>\x1B</c>, <c>\u202E</c>) so that nothing from a file moves the cursor, recolours or reorders a terminal or a page,
/// and long text cut with its full length stated.
/// </summary>
public static class EchoedText
{
    /// <summary>At most this many characters of the input are shown, unless a caller asks for another limit.</summary>
    public const int DefaultLength = 120;

    public static string Of(ReadOnlySpan<char> text, int maxLength = DefaultLength)
    {
        var cut = text.Length > maxLength ? text[..maxLength] : text;
        var builder = new StringBuilder(cut.Length + 32);
        foreach (var c in cut) Append(builder, c);
        if (text.Length > maxLength)
            builder.Append(CultureInfo.InvariantCulture, $"… ({text.Length:N0} characters, the first {maxLength:N0} shown)");
        return builder.ToString();
    }

    /// <summary>The whole text with control characters escaped (for messages that are ours but may quote input).</summary>
    public static string Escape(ReadOnlySpan<char> text)
    {
        if (!NeedsEscape(text)) return text.ToString();
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text) Append(builder, c);
        return builder.ToString();
    }

    private static bool NeedsEscape(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (IsUnsafe(c)) return true;
        return false;
    }

    /// <summary>C0 and C1 controls, DEL, and the bidirectional overrides and isolates that reorder displayed text.</summary>
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    private static void Append(StringBuilder builder, char c)
    {
        if (!IsUnsafe(c))
        {
            builder.Append(c);
            return;
        }
        switch (c)
        {
            case '\t': builder.Append("\\t"); break;
            case '\r': builder.Append("\\r"); break;
            case '\n': builder.Append("\\n"); break;
            case < '\u0100': builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"); break;
            default: builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"); break;
        }
    }
}
