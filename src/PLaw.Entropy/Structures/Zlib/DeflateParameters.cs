namespace PLaw.Entropy.Structures.Zlib;

/// <summary>
/// zlib 1.2.13's deflate constants for level 6, windowBits 15, memLevel 8, default strategy (deflate.h, and deflate.c's
/// configuration_table row 6).
/// </summary>
internal static class DeflateParameters
{
    public const int MinMatch = 3, MaxMatch = 258;
    public const int WSize = 1 << 15, WMask = WSize - 1, WindowSize = 2 * WSize;
    public const int MinLookahead = MaxMatch + MinMatch + 1;
    public const int MaxDist = WSize - MinLookahead;
    public const int HashBits = 8 + 7, HashSize = 1 << HashBits, HashMask = HashSize - 1;
    public const int HashShift = (HashBits + MinMatch - 1) / MinMatch;
    public const int TooFar = 4096;
    public const int GoodMatch = 8, MaxLazyMatch = 16, NiceMatch = 128, MaxChain = 128;

    /// <summary>lit_bufsize = 1 &lt;&lt; (memLevel + 6); sym_end = (lit_bufsize − 1) · 3 bytes, i.e. a block holds 16383 symbols.</summary>
    public const int LitBufSize = 1 << (8 + 6), SymbolsPerBlock = LitBufSize - 1;

    /// <summary>fill_window zeroes this many bytes past the data the first time the window reaches them.</summary>
    public const int WinInit = MaxMatch;

    /// <summary>The zlib wrapper: 2-byte header (no dictionary) and the Adler-32 trailer.</summary>
    public const int HeaderBytes = 2, TrailerBytes = 4;
}
