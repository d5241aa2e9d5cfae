using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using PLaw.Data.Sequences;

namespace PLaw.Data.Storage;

/// <summary>
/// Compact binary blob of a <see cref="SequenceSet"/> (the registry stores one per dataset). Little-endian:
/// <code>
/// "PLSQ" | version:int32 | flags:int32 (1 = timestamps, 2 = item domains, 4 = labels) | users:int32 | itemCount:int32 | interactions:int64
///        | sha256:32 bytes (see Checksum) | payloadBytes:int64 | payload
/// payload = Brotli( lengths:int32[users] | items:int32[interactions] | timestamp deltas:int64[interactions]
///                   | domains:int32 | per domain (utf8Bytes:int32 | UTF-8 name) | domain index:int32[itemCount]
///                   | labels:uint8[interactions] (0 = negative, 1 = positive) )
/// </code>
/// Timestamps are stored as differences from the previous interaction's (the first from 0): mostly small, so they
/// compress well. Item domains (flag 2) came with version 2; a set without domains is still written as version 1,
/// byte for byte as before, so existing blobs and checksums do not change. Labels (flag 4, labelled impressions for the
/// ranking task) came with version 3; a set without them is written as before. <see cref="Read"/> verifies every count and the checksum, and throws
/// <see cref="InvalidDataException"/> saying what is wrong.
/// </summary>
public static class SequenceSetFormat
{
    /// <summary>The newest version written (for a set with item domains); a set without them is written as version 1.</summary>
    public const int Version = 3;
    private const int DomainsVersion = 2;
    private const int LabelsVersion = 3;
    private const int HeaderBytes = 4 + 4 + 4 + 4 + 4 + 8 + ChecksumBytes + 8;
    private const int ChecksumBytes = 32;
    private const int TimestampsFlag = 1;
    private const int DomainsFlag = 2;
    private const int LabelsFlag = 4;
    private static ReadOnlySpan<byte> Magic => "PLSQ"u8;

    public static void Write(Stream stream, SequenceSet set)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(set);

        using var payload = new MemoryStream();
        using (var brotli = new BrotliStream(payload, CompressionLevel.Optimal, leaveOpen: true))
        {
            var lengths = new int[set.UserCount];
            for (var u = 0; u < lengths.Length; u++)
                lengths[u] = set.Length(u);
            LittleEndian.Write(brotli, lengths);
            LittleEndian.Write(brotli, set.Items);
            if (set.Timestamps is { } times)
                WriteDeltas(brotli, times);
            if (set.Domains is { } domains)
                WriteDomains(brotli, domains);
            if (set.Labels is { } labels)
                WriteLabels(brotli, labels);
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], set.Labels is not null ? LabelsVersion : set.Domains is null ? 1 : DomainsVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], (set.Timestamps is null ? 0 : TimestampsFlag) | (set.Domains is null ? 0 : DomainsFlag)
                                                             | (set.Labels is null ? 0 : LabelsFlag));
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], set.UserCount);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], set.ItemCount);
        BinaryPrimitives.WriteInt64LittleEndian(header[20..], set.InteractionCount);
        HashContent(set).CopyTo(header[28..]);
        BinaryPrimitives.WriteInt64LittleEndian(header[(28 + ChecksumBytes)..], payload.Length);
        stream.Write(header);
        payload.Position = 0;
        payload.CopyTo(stream);
    }

    public static SequenceSet Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[HeaderBytes];
        var got = stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false);
        if (got >= 4 && !header[..4].SequenceEqual(Magic))
            throw Corrupt($"not a sequence blob: it starts with bytes {Convert.ToHexString(header[..4])}, not \"PLSQ\"");
        if (got < HeaderBytes)
            throw Corrupt($"truncated header: {got} of {HeaderBytes} bytes");

        var version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (version is < 1 or > Version)
            throw Corrupt($"version {version}, this build reads versions 1 to {Version}");
        var flags = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var users = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        var itemCount = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        var interactions = BinaryPrimitives.ReadInt64LittleEndian(header[20..]);
        var checksum = header.Slice(28, ChecksumBytes).ToArray();
        var payloadBytes = BinaryPrimitives.ReadInt64LittleEndian(header[(28 + ChecksumBytes)..]);
        if ((flags & ~(TimestampsFlag | DomainsFlag | LabelsFlag)) != 0 || ((flags & DomainsFlag) != 0 && version < DomainsVersion)
            || ((flags & LabelsFlag) != 0 && version < LabelsVersion) || users is < 0 or int.MaxValue || itemCount < 0 || interactions is < 0 or > int.MaxValue
            || payloadBytes is < 0 or > int.MaxValue)
            throw Corrupt($"impossible header (flags {flags}, {users} users, {itemCount} items, {interactions} interactions, " +
                          $"{payloadBytes} payload bytes)");

        var payload = new byte[payloadBytes];
        var payloadRead = stream.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false);
        if (payloadRead < payload.Length)
            throw Corrupt($"truncated payload: {payloadRead} of {payloadBytes} bytes");

        int[] lengths, items;
        long[]? timestamps = null;
        (string[] Names, int[] DomainOf)? domains = null;
        bool[]? labels = null;
        bool trailingData;
        try
        {
            using var brotli = new BrotliStream(new MemoryStream(payload), CompressionMode.Decompress);
            lengths = LittleEndian.ReadInts(brotli, users);
            items = LittleEndian.ReadInts(brotli, (int)interactions);
            if ((flags & TimestampsFlag) != 0)
                timestamps = LittleEndian.ReadLongs(brotli, (int)interactions);
            if ((flags & DomainsFlag) != 0)
                domains = ReadDomains(brotli, itemCount);
            if ((flags & LabelsFlag) != 0)
                labels = ReadLabels(brotli, (int)interactions);
            trailingData = brotli.ReadByte() >= 0;
        }
        catch (InvalidDataException e) when (e.Data.Contains(DomainsFlag))
        {
            throw Corrupt(e.Message, e);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or InvalidOperationException)
        {
            throw Corrupt($"the compressed payload does not decode to the announced counts ({e.Message})", e);
        }
        if (trailingData)
            throw Corrupt("the payload holds more data than the header announces");

        var offsets = new int[users + 1];
        long total = 0;
        for (var u = 0; u < users; u++)
        {
            total += lengths[u];
            if (lengths[u] < 0 || total > interactions)
                throw Corrupt($"user {u}'s length {lengths[u]} overruns the {interactions} interactions");
            offsets[u + 1] = (int)total;
        }
        if (total != interactions)
            throw Corrupt($"user lengths add up to {total}, the header says {interactions} interactions");
        if (timestamps is not null)
            for (var i = 1; i < timestamps.Length; i++)
                timestamps[i] += timestamps[i - 1];

        SequenceSet set;
        try
        {
            var itemDomains = domains is { } d ? new ItemDomains(d.Names, d.DomainOf) : null;
            set = new SequenceSet(offsets, items, itemCount, timestamps, itemDomains, labels);
        }
        catch (ArgumentException e)
        {
            throw Corrupt(e.Message, e);
        }
        if (!HashContent(set).AsSpan().SequenceEqual(checksum))
            throw Corrupt($"checksum mismatch: stored {Convert.ToHexStringLower(checksum)}, content hashes to {Checksum(set)}");
        return set;
    }

    public static byte[] ToBytes(SequenceSet set)
    {
        using var stream = new MemoryStream();
        Write(stream, set);
        return stream.ToArray();
    }

    public static SequenceSet FromBytes(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream(data, writable: false);
        var set = Read(stream);
        if (stream.Position != data.Length)
            throw Corrupt($"{data.Length - stream.Position} unexpected bytes after the payload");
        return set;
    }

    /// <summary>
    /// Lowercase hex SHA-256 over the canonical uncompressed content, little-endian: users:int32, itemCount:int32,
    /// interactions:int64, hasTimestamps:byte, offsets:int32[users + 1], items:int32[], timestamps:int64[] (if any), then, only
    /// when the set has item domains, the domain section as the payload holds it, then, only when it has labels, the labels
    /// as the payload holds them. Independent of compression and of the blob
    /// version (a set without domains hashes as it always did).
    /// </summary>
    public static string Checksum(SequenceSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Convert.ToHexStringLower(HashContent(set));
    }

    private static byte[] HashContent(SequenceSet set)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sink = new HashSink(hash);
        Span<byte> counts = stackalloc byte[17];
        BinaryPrimitives.WriteInt32LittleEndian(counts, set.UserCount);
        BinaryPrimitives.WriteInt32LittleEndian(counts[4..], set.ItemCount);
        BinaryPrimitives.WriteInt64LittleEndian(counts[8..], set.InteractionCount);
        counts[16] = set.Timestamps is null ? (byte)0 : (byte)1;
        hash.AppendData(counts);
        LittleEndian.Write(sink, set.Offsets);
        LittleEndian.Write(sink, set.Items);
        if (set.Timestamps is { } times)
            LittleEndian.Write(sink, times);
        if (set.Domains is { } domains)
            WriteDomains(sink, domains);
        if (set.Labels is { } labels)
            WriteLabels(sink, labels);
        return hash.GetHashAndReset();
    }

    private static void WriteDeltas(Stream stream, long[] times)
    {
        var deltas = new long[Math.Min(times.Length, 1 << 13)];
        long previous = 0;
        for (var i = 0; i < times.Length; i += deltas.Length)
        {
            var n = Math.Min(deltas.Length, times.Length - i);
            for (var j = 0; j < n; j++)
            {
                deltas[j] = times[i + j] - previous;
                previous = times[i + j];
            }
            LittleEndian.Write(stream, deltas.AsSpan(0, n));
        }
    }

    private static void WriteDomains(Stream stream, ItemDomains domains)
    {
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(count, domains.Count);
        stream.Write(count);
        foreach (var name in domains.Names)
        {
            var utf8 = Encoding.UTF8.GetBytes(name);
            BinaryPrimitives.WriteInt32LittleEndian(count, utf8.Length);
            stream.Write(count);
            stream.Write(utf8);
        }
        LittleEndian.Write(stream, domains.DomainOf[1..]);
    }

    private static void WriteLabels(Stream stream, bool[] labels)
    {
        var bytes = new byte[Math.Min(labels.Length, 1 << 16)];
        for (var i = 0; i < labels.Length; i += bytes.Length)
        {
            var n = Math.Min(bytes.Length, labels.Length - i);
            for (var j = 0; j < n; j++) bytes[j] = labels[i + j] ? (byte)1 : (byte)0;
            stream.Write(bytes, 0, n);
        }
    }

    /// <summary>The labels section: one byte per interaction, 0 or 1 (anything else is corrupt).</summary>
    private static bool[] ReadLabels(Stream stream, int interactions)
    {
        var bytes = new byte[interactions];
        stream.ReadExactly(bytes);
        var labels = new bool[interactions];
        for (var i = 0; i < bytes.Length; i++)
            labels[i] = bytes[i] switch
            {
                0 => false,
                1 => true,
                var b => throw LabelProblem($"label {i:N0} is the byte {b}, not 0 or 1"),
            };
        return labels;
    }

    /// <summary>The domain section; a bad count or name throws <see cref="InvalidDataException"/> tagged with the domains flag.</summary>
    private static (string[] Names, int[] DomainOf) ReadDomains(Stream stream, int itemCount)
    {
        Span<int> one = stackalloc int[1];
        LittleEndian.ReadExactly(stream, one);
        var count = one[0];
        if (count < 1 || count > Math.Max(1, itemCount))
            throw DomainProblem($"{count} item domains for {itemCount} items");
        var names = new string[count];
        for (var d = 0; d < count; d++)
        {
            LittleEndian.ReadExactly(stream, one);
            if (one[0] < 1 || one[0] > 4 * ItemDomains.MaxNameLength) throw DomainProblem($"domain {d}'s name has {one[0]} bytes");
            var utf8 = new byte[one[0]];
            stream.ReadExactly(utf8);
            names[d] = Encoding.UTF8.GetString(utf8);
        }
        var domainOf = new int[itemCount + 1];
        LittleEndian.ReadExactly(stream, domainOf.AsSpan(1));
        for (var item = 1; item <= itemCount; item++)
            if ((uint)domainOf[item] >= (uint)count)
                throw DomainProblem($"item {item} has domain index {domainOf[item]}, outside 0..{count - 1}");
        return (names, domainOf);
    }

    // Tagged like a domain problem, so Read reports it as it is rather than as a decoding failure.
    private static InvalidDataException LabelProblem(string what)
    {
        var e = new InvalidDataException($"labels: {what}");
        e.Data[DomainsFlag] = true;
        return e;
    }

    private static InvalidDataException DomainProblem(string what)
    {
        var e = new InvalidDataException($"item domains: {what}");
        e.Data[DomainsFlag] = true;
        return e;
    }

    private static InvalidDataException Corrupt(string what, Exception? inner = null) =>
        new($"Corrupt sequence blob (PLSQ): {what}.", inner);

    /// <summary>A write-only stream feeding an <see cref="IncrementalHash"/>, so hashing shares the little-endian writer.</summary>
    private sealed class HashSink(IncrementalHash hash) : Stream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);
        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
