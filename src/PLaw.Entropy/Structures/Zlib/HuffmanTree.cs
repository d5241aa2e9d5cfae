namespace PLaw.Entropy.Structures.Zlib;

/// <summary>
/// One of deflate's three trees (dyn_ltree, dyn_dtree, bl_tree) with its static_tree_desc. zlib's ct_data unions Freq with
/// Code and Dad with Len; only the Dad/Len sharing matters here (gen_bitlen overwrites each node's Dad with its Len), so
/// <see cref="Len"/> holds both.
/// </summary>
internal sealed class HuffmanTree(int size, int elems, int[] extraBits, int extraBase, int maxLength, byte[]? staticLengths)
{
    public readonly int[] Freq = new int[size];
    public readonly ushort[] Len = new ushort[size];
    public readonly int Elems = elems;
    public readonly int[] ExtraBits = extraBits;
    public readonly int ExtraBase = extraBase;
    public readonly int MaxLength = maxLength;
    public readonly byte[]? StaticLengths = staticLengths;
    public int MaxCode;

    public static HuffmanTree Literals() => new(TreeTables.HeapSize, TreeTables.LCodes, TreeTables.ExtraLBits,
        TreeTables.Literals + 1, TreeTables.MaxBits, TreeTables.StaticLLengths);

    public static HuffmanTree Distances() => new(2 * TreeTables.DCodes + 1, TreeTables.DCodes, TreeTables.ExtraDBits, 0,
        TreeTables.MaxBits, TreeTables.StaticDLengths);

    public static HuffmanTree BitLengths() => new(2 * TreeTables.BlCodes + 1, TreeTables.BlCodes, TreeTables.ExtraBlBits, 0,
        TreeTables.MaxBlBits, null);

    /// <summary>init_block's part: every leaf frequency back to 0.</summary>
    public void ClearFrequencies() => Array.Clear(Freq, 0, Elems);
}
