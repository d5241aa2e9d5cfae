using PLaw.Entropy;

namespace PLaw.Laws.Transfer;

/// <summary>
/// Which measure of a dataset's entropy table becomes the quality-adjusted size q in the joint law D = c·q
/// (<see cref="JointPerformanceLaw"/>): tokens divided by an entropy, so that more tokens and more predictable sequences both
/// count as more data.
/// </summary>
public enum QualityProxy
{
    /// <summary>tokens / mean per-user ApEn: P-Law's D′ (Shen et al., data-quality section).</summary>
    Apen,

    /// <summary>
    /// tokens / chunked real entropy: the Lempel–Ziv real-entropy estimator (<see cref="EntropyRow.ChunkedRealEntropy"/>) on the
    /// concatenated windows in 10,000-token chunks. Of the three corpus-level chunked estimators it is the one that estimates the
    /// entropy rate of the sequence: chunked Shannon sees only how often items occur (a shuffled corpus scores the same), and
    /// exact-match ApEn (m = 2, r = 0) on a chunk with thousands of distinct items sees few repeated pairs and saturates.
    /// </summary>
    Chunked,

    /// <summary>tokens / H(next | current): the pooled first-order conditional entropy in bits (<see cref="EntropyRow.ConditionalEntropy"/>).</summary>
    Conditional,
}

public static class QualityProxies
{
    public static readonly IReadOnlyList<QualityProxy> All = [QualityProxy.Apen, QualityProxy.Chunked, QualityProxy.Conditional];

    /// <summary>The name the CLI and the dashboard's query string use: apen, chunked, conditional.</summary>
    public static string Key(this QualityProxy proxy) => proxy switch
    {
        QualityProxy.Apen => "apen",
        QualityProxy.Chunked => "chunked",
        QualityProxy.Conditional => "conditional",
        _ => throw new ArgumentOutOfRangeException(nameof(proxy)),
    };

    /// <summary>What q is, for a table header or a legend.</summary>
    public static string Label(this QualityProxy proxy) => proxy switch
    {
        QualityProxy.Apen => "tokens / ApEn",
        QualityProxy.Chunked => "tokens / chunked real entropy",
        QualityProxy.Conditional => "tokens / H(next | current)",
        _ => throw new ArgumentOutOfRangeException(nameof(proxy)),
    };

    public static QualityProxy? TryParse(string? text) =>
        All.Cast<QualityProxy?>().FirstOrDefault(p => string.Equals(p!.Value.Key(), text?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static QualityProxy Parse(string text) =>
        TryParse(text) ?? throw new ArgumentException($"quality proxy '{text}': expected {string.Join(", ", All.Select(p => p.Key()))}.");

    /// <summary>The entropy in q's denominator (ApEn, chunked real entropy or H(next | current)).</summary>
    public static double Entropy(this QualityProxy proxy, EntropyRow row) => proxy switch
    {
        QualityProxy.Apen => row.Apen,
        QualityProxy.Chunked => row.ChunkedRealEntropy,
        QualityProxy.Conditional => row.ConditionalEntropy,
        _ => throw new ArgumentOutOfRangeException(nameof(proxy)),
    };

    /// <summary>q = tokens / entropy; null when the entropy is not positive (a fully predictable corpus: q is unbounded).</summary>
    public static double? Quality(this QualityProxy proxy, EntropyRow row)
    {
        var entropy = proxy.Entropy(row);
        return row.Tokens > 0 && entropy > 0 && double.IsFinite(entropy) ? row.Tokens / entropy : null;
    }
}
