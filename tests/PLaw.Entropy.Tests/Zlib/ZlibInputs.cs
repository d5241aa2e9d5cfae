using System.Buffers.Binary;

namespace PLaw.Entropy.Tests.Zlib;

/// <summary>Input shapes that reach deflate's different paths: no matches, short and far matches, long runs.</summary>
internal static class ZlibInputs
{
    public static readonly string[] Kinds =
        ["random bytes", "4-letter bytes", "ids 1..50", "ids 1..30000", "skewed ids", "repeated pattern", "zero runs"];

    public static byte[] Make(string kind, Random random, int size)
    {
        var data = new byte[size];
        switch (kind)
        {
            case "random bytes":
                random.NextBytes(data);
                break;
            case "4-letter bytes": // many length-3 matches, some beyond TOO_FAR
                for (var i = 0; i < size; i++) data[i] = (byte)"ACGT"[random.Next(4)];
                break;
            case "ids 1..50":
                Ids(data, () => random.Next(1, 51));
                break;
            case "ids 1..30000":
                Ids(data, () => random.Next(1, 30001));
                break;
            case "skewed ids": // a few popular ids, a long tail, like interaction data
                Ids(data, () => 1 + (int)(30000 * Math.Pow(random.NextDouble(), 4)));
                break;
            case "repeated pattern": // long matches, nice_match exits, lazy evaluation
            {
                var pattern = new byte[random.Next(1, 60)];
                random.NextBytes(pattern);
                for (var i = 0; i < size; i++)
                    data[i] = random.Next(200) == 0 ? (byte)random.Next(256) : pattern[i % pattern.Length];
                break;
            }
            case "zero runs":
                for (var i = 0; i < size; i++)
                    data[i] = random.Next(40) == 0 ? (byte)random.Next(256) : (byte)0;
                break;
            default:
                throw new ArgumentException(kind);
        }
        return data;
    }

    private static void Ids(byte[] data, Func<int> next)
    {
        Span<byte> id = stackalloc byte[4];
        for (var i = 0; i < data.Length; i += 4)
        {
            BinaryPrimitives.WriteInt32BigEndian(id, next());
            id[..Math.Min(4, data.Length - i)].CopyTo(data.AsSpan(i));
        }
    }
}
