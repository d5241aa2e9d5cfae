using PLaw.Entropy;
using PLaw.Laws.EntropySweep;

namespace PLaw.Registry.Sweeps;

/// <summary>
/// The measured quality proxies of one entropy-table row, each read as an estimate of the entropy rate in bits per item
/// (ApEn and the Lempel–Ziv real entropy are in nats, so divided by ln 2), so each can be set against the known rate and
/// q = tokens / estimate can stand where P-Law puts tokens/ApEn.
/// </summary>
public static class SweepProxies
{
    public const string Apen = "ApEn (per user)";
    public const string ChunkedApen = "chunked ApEn";
    public const string ChunkedReal = "chunked real entropy";
    public const string Conditional = "H(next|cur)";
    public const string ConditionalMillerMadow = "H(next|cur) Miller–Madow";

    public static IReadOnlyList<string> Names { get; } = [Apen, ChunkedApen, ChunkedReal, Conditional, ConditionalMillerMadow];

    public static IReadOnlyList<ProxyEstimate> Of(EntropyRow row) =>
    [
        new(Apen, row.Apen / Math.Log(2)),
        new(ChunkedApen, row.ChunkedApen / Math.Log(2)),
        new(ChunkedReal, row.ChunkedRealEntropy / Math.Log(2)),
        new(Conditional, row.ConditionalEntropy),
        new(ConditionalMillerMadow, row.ConditionalEntropy + row.ConditionalEntropyBias),
    ];
}
