namespace PLaw.Entropy;

/// <summary>
/// One row of a dataset's entropy table, for windows of the last <see cref="MaxLen"/> items.
/// Per-user measures are means over users; <see cref="TokensPerApen"/> = tokens / mean ApEn is P-Law's data-size proxy D′
/// (0 when mean ApEn is 0); Chunked* apply the same estimators to the concatenated windows in chunks; ConditionalEntropy is the
/// pooled plug-in H(next | current) in bits with its Miller–Madow correction in <see cref="ConditionalEntropyBias"/>.
/// </summary>
public sealed record EntropyRow(
    int MaxLen, int Users, int Items, long Tokens, double MeanLength,
    double Apen, double RealEntropy, double RealEntropyReference, double Shannon, double CompressionRatio,
    double TokensPerApen, double TokensTimesRealEntropy, double AllDistinctShare,
    double ChunkedShannon, double ChunkedCompressionRatio, double ChunkedApen, double ChunkedRealEntropy,
    double ConditionalEntropy, double ConditionalEntropyBias, long Transitions);
