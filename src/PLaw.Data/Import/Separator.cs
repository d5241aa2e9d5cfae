using System.Runtime.CompilerServices;

namespace PLaw.Data.Import;

internal enum SeparatorKind { Character, DoubleColon, Whitespace }

/// <summary>How fields are separated on a line: one character (CSV quoting honoured), "::" (MovieLens .dat) or runs of
/// spaces/tabs (SASRec).</summary>
internal readonly record struct Separator(SeparatorKind Kind, char Character = '\0')
{
    public static Separator Of(char c) => new(SeparatorKind.Character, c);
    public static Separator DoubleColon => new(SeparatorKind.DoubleColon);
    public static Separator Whitespace => new(SeparatorKind.Whitespace);

    /// <summary>For messages: "','", "tab", "'::'", "whitespace".</summary>
    public string Describe() => Kind switch
    {
        SeparatorKind.DoubleColon => "'::'",
        SeparatorKind.Whitespace => "whitespace",
        _ => Character == '\t' ? "tab" : $"'{Character}'",
    };

    /// <summary>
    /// Splits <paramref name="line"/>, recording the first <c>fields.Length</c> field ranges, and returns the total
    /// field count (which may exceed <c>fields.Length</c>). A CSV field wrapped in double quotes may contain the
    /// separator; the range excludes the quotes.
    /// </summary>
    public int Split(ReadOnlySpan<char> line, Span<Range> fields) => Kind switch
    {
        SeparatorKind.DoubleColon => SplitDoubleColon(line, fields),
        SeparatorKind.Whitespace => SplitWhitespace(line, fields),
        _ => SplitCharacter(line, Character, fields),
    };

    private static int SplitCharacter(ReadOnlySpan<char> line, char separator, Span<Range> fields)
    {
        var count = 0;
        var i = 0;
        while (true)
        {
            int fieldStart = i, fieldEnd, separatorAt;
            var closingQuote = i < line.Length && line[i] == '"' ? ClosingQuote(line, i) : -1;
            if (closingQuote >= 0)
            {
                // A quoted field: "a""b" escapes stay doubled, ids and numbers never hold quotes.
                fieldStart = i + 1;
                fieldEnd = closingQuote;
                var rest = line[(closingQuote + 1)..].IndexOf(separator);
                separatorAt = rest < 0 ? -1 : closingQuote + 1 + rest;
            }
            else
            {
                var rest = line[i..].IndexOf(separator);
                separatorAt = rest < 0 ? -1 : i + rest;
                fieldEnd = rest < 0 ? line.Length : separatorAt;
            }
            if (count < fields.Length) fields[count] = fieldStart..fieldEnd;
            count++;
            if (separatorAt < 0) return count;
            i = separatorAt + 1;
            // Past the wanted fields only the count matters: one vectorised pass when no quotes remain.
            if (count >= fields.Length && !line[i..].Contains('"'))
                return count + line[i..].Count(separator) + 1;
        }
    }

    /// <summary>Index of the quote closing the one at <paramref name="open"/>, or -1 when unterminated.</summary>
    private static int ClosingQuote(ReadOnlySpan<char> line, int open)
    {
        for (var j = open + 1; j < line.Length; j++)
        {
            if (line[j] != '"') continue;
            if (j + 1 < line.Length && line[j + 1] == '"') { j++; continue; }
            return j;
        }
        return -1;
    }

    private static int SplitDoubleColon(ReadOnlySpan<char> line, Span<Range> fields)
    {
        var count = 0;
        var i = 0;
        while (true)
        {
            var next = line[i..].IndexOf("::");
            var fieldEnd = next < 0 ? line.Length : i + next;
            if (count < fields.Length) fields[count] = i..fieldEnd;
            count++;
            if (next < 0) return count;
            i = fieldEnd + 2;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SplitWhitespace(ReadOnlySpan<char> line, Span<Range> fields)
    {
        var count = 0;
        var i = 0;
        while (true)
        {
            while (i < line.Length && (line[i] == ' ' || line[i] == '\t')) i++;
            if (i == line.Length) return count;
            var fieldStart = i;
            while (i < line.Length && line[i] != ' ' && line[i] != '\t') i++;
            if (count < fields.Length) fields[count] = fieldStart..i;
            count++;
        }
    }
}
