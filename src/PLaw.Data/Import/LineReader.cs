using System.Runtime.CompilerServices;
using System.Text;

namespace PLaw.Data.Import;

/// <summary>
/// Hands out a stream's lines as spans over one reusable char buffer (no string per line, unlike
/// <see cref="StreamReader.ReadLine"/>). A line is valid until the next call. '\n' and "\r\n" both end lines.
/// </summary>
internal sealed class LineReader : IDisposable
{
    /// <summary>Longest line read, in characters; no interaction log comes near it.</summary>
    public const int MaxLineLength = 1 << 20;

    private readonly StreamReader reader;
    private char[] buffer = new char[1 << 16];
    private int start;
    private int end;
    private bool endOfStream;

    public LineReader(Stream stream)
    {
        reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        var searchFrom = start;
        while (true)
        {
            var newline = buffer.AsSpan(searchFrom, end - searchFrom).IndexOf('\n');
            if (newline >= 0)
            {
                var lineEnd = searchFrom + newline;
                line = TrimCarriageReturn(buffer.AsSpan(start, lineEnd - start));
                start = lineEnd + 1;
                LineNumber++;
                return true;
            }
            if (endOfStream)
            {
                if (start == end)
                {
                    line = default;
                    return false;
                }
                line = TrimCarriageReturn(buffer.AsSpan(start, end - start));
                start = end;
                LineNumber++;
                return true;
            }
            searchFrom = Refill();
        }
    }

    /// <summary>Moves the partial line to the front, grows the buffer if the line fills it, reads more;
    /// returns where the newline search resumes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Refill()
    {
        var pending = end - start;
        if (pending == buffer.Length)
        {
            // A file with no newline in sight (a binary, a 600 MB one-line JSON) must not take the memory with it.
            if (buffer.Length >= MaxLineLength)
                throw new LineTooLongException(LineNumber + 1, MaxLineLength, buffer.AsSpan(0, 120).ToString());
            Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxLineLength));
        }
        else if (start > 0)
            buffer.AsSpan(start, pending).CopyTo(buffer);
        start = 0;
        end = pending;
        var read = reader.Read(buffer, end, buffer.Length - end);
        if (read == 0)
            endOfStream = true;
        end += read;
        return pending;
    }

    private static ReadOnlySpan<char> TrimCarriageReturn(ReadOnlySpan<char> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;

    public void Dispose() => reader.Dispose();
}

/// <summary>A line longer than <see cref="LineReader.MaxLineLength"/>; the reader turns it into a <see cref="DataFormatException"/>.</summary>
internal sealed class LineTooLongException(long line, int limit, string start) : Exception($"Line {line} is longer than {limit:N0} characters.")
{
    public long Line { get; } = line;
    public int Limit { get; } = limit;
    public string Start { get; } = start;
}
