namespace PLaw.Entropy.Structures.Zlib;

/// <summary>trees.c's constant tables: extra bits, the length and distance code maps (tr_static_init), bl_order and the
/// static trees' code lengths.</summary>
internal static class TreeTables
{
    public const int MaxBits = 15, MaxBlBits = 7;
    public const int Literals = 256, EndBlock = 256, LengthCodes = 29;
    public const int LCodes = Literals + 1 + LengthCodes, DCodes = 30, BlCodes = 19;
    public const int HeapSize = 2 * LCodes + 1;
    public const int Rep3To6 = 16, RepZ3To10 = 17, RepZ11To138 = 18;

    public static readonly int[] ExtraLBits = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    public static readonly int[] ExtraDBits = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    public static readonly int[] ExtraBlBits = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
    public static readonly byte[] BlOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>_length_code: match length − MIN_MATCH → length code (0..28).</summary>
    public static readonly byte[] LengthCode = BuildLengthCode();

    /// <summary>_dist_code: read through <see cref="DistanceCode"/> (d_code).</summary>
    private static readonly byte[] DistCode = BuildDistCode();

    /// <summary>static_ltree's lengths (8, 9, 7, 8 bits) and static_dtree's (5 bits).</summary>
    public static readonly byte[] StaticLLengths = BuildStaticLLengths();
    public static readonly byte[] StaticDLengths = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5];

    /// <summary>d_code(dist), dist = distance − 1.</summary>
    public static int DistanceCode(int dist) => dist < 256 ? DistCode[dist] : DistCode[256 + (dist >> 7)];

    private static byte[] BuildLengthCode()
    {
        var table = new byte[256];
        int length = 0, code;
        for (code = 0; code < LengthCodes - 1; code++)
            for (var n = 0; n < 1 << ExtraLBits[code]; n++)
                table[length++] = (byte)code;
        table[length - 1] = (byte)code; // length 258 gets code 285 (28), not 284's last slot
        return table;
    }

    private static byte[] BuildDistCode()
    {
        var table = new byte[512];
        int dist = 0, code;
        for (code = 0; code < 16; code++)
            for (var n = 0; n < 1 << ExtraDBits[code]; n++)
                table[dist++] = (byte)code;
        dist >>= 7;
        for (; code < DCodes; code++)
            for (var n = 0; n < 1 << (ExtraDBits[code] - 7); n++)
                table[256 + dist++] = (byte)code;
        return table;
    }

    private static byte[] BuildStaticLLengths()
    {
        var lengths = new byte[LCodes + 2];
        for (var n = 0; n < lengths.Length; n++)
            lengths[n] = n < 144 ? (byte)8 : n < 256 ? (byte)9 : n < 280 ? (byte)7 : (byte)8;
        return lengths;
    }
}
