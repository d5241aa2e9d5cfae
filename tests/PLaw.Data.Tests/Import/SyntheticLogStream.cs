using System.Text;

namespace PLaw.Data.Tests.Import;

/// <summary>
/// A KuaiRand-like CSV log synthesised on the fly, one line at a time into a small buffer: a stream of any size that
/// never exists as text in memory. Deterministic: line <c>n</c> is user <c>u{n·7919 mod users}</c>, video
/// <c>(n·104729 mod 9973) mod items</c>, time_ms rising by 1,000 per line, plus filler columns.
/// </summary>
internal sealed class SyntheticLogStream(long lines, int users, int items) : Stream
{
    public const string Header =
        "user_id,video_id,date,hourmin,time_ms,is_click,is_like,is_follow,is_comment,is_forward,is_hate,long_view," +
        "play_time_ms,duration_ms,profile_stay_time,comment_stay_time,is_profile_enter,is_rand,tab\n";

    private readonly byte[] line = new byte[256];
    private int lineLength;
    private int lineRead;
    private long next = -1;

    public long Lines => lines;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (lineRead == lineLength && !NextLine()) break;
            var n = Math.Min(buffer.Length - written, lineLength - lineRead);
            line.AsSpan(lineRead, n).CopyTo(buffer[written..]);
            lineRead += n;
            written += n;
        }
        return written;
    }

    private bool NextLine()
    {
        if (next >= lines) return false;
        lineRead = 0;
        if (next++ < 0)
        {
            lineLength = Encoding.ASCII.GetBytes(Header, line);
            return true;
        }
        var n = next - 1;
        var user = n * 7919 % users;
        var item = n * 104729 % 9973 % items;
        var time = 1_649_412_000_000 + n * 1000;
        var span = line.AsSpan();
        var at = 0;
        void Put(ReadOnlySpan<byte> text, Span<byte> s) { text.CopyTo(s[at..]); at += text.Length; }
        void Number(long value, Span<byte> s) { value.TryFormat(s[at..], out var w); at += w; }
        Put("u"u8, span); Number(user, span); Put(","u8, span);
        Number(item, span); Put(",20220408,"u8, span);
        Number(1000 + n % 1400, span); Put(","u8, span);
        Number(time, span); Put(","u8, span);
        Put(n % 3 == 0 ? "1,0,0,0,0,0,1,"u8 : "0,0,0,0,0,0,0,"u8, span);
        Number(n % 90_000, span); Put(","u8, span);
        Number(15_000 + n % 60_000, span);
        Put(",0,0,0,0,1\n"u8, span);
        lineLength = at;
        return true;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
