namespace PLaw.Laws.EntropySweep;

/// <summary>One estimate of a dataset's entropy rate by a measured proxy (ApEn, chunked entropy, H(next|cur), …), in bits per item.</summary>
public sealed record ProxyEstimate(string Proxy, double RateBits);

/// <summary>
/// A dataset of an entropy sweep: its known (generating) entropy rate, the tokens the grid trains on (the windows of the
/// grid's max length), and each proxy's estimate of the rate from the same windows.
/// </summary>
public sealed record SweepDataset(string Name, double TrueRateBits, long Tokens, IReadOnlyList<ProxyEstimate> Proxies);

/// <summary>One finished run of the sweep's grid: dataset, layers, width and the final test metric.</summary>
public sealed record SweepPoint(string Dataset, int Layers, int Dim, double Value);
