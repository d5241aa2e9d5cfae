namespace PLaw.Laws.EntropySweep;

/// <summary>What an entropy sweep shows: per dataset, per choice of q, per proxy, and a plain-language conclusion.</summary>
public sealed record EntropySweepReport(
    string Metric,
    IReadOnlyList<SweepDatasetRow> Datasets,
    IReadOnlyList<QualityFit> Fits,
    IReadOnlyList<ProxyMiss> Proxies,
    string Conclusion);

/// <summary>
/// One dataset: its true rate and q = tokens / true rate, the measured data term (the dataset's offset: its mean metric over the
/// grid minus the mean over datasets, configuration by configuration), and with the true-rate fit its fitted D against c·q.
/// </summary>
public sealed record SweepDatasetRow(string Name, double TrueRateBits, long Tokens, double Quality, int Runs, double MeasuredOffset,
    double? FittedD, double? JointD);

/// <summary>
/// The joint law fitted with one choice of q (<see cref="Source"/>: "true rate" or a proxy). <see cref="OffsetR2"/>: how much of
/// the spread of the measured per-dataset data terms the law's φ(c·q_k; w5) + b explains. <see cref="DVersusQuality"/>: the
/// per-dataset D (fitted with the shared terms held at the joint values) against q, with R²; <see cref="LogSlope"/> is the
/// slope of ln D on ln q (1 when D ∝ q). <see cref="OffsetVersusLogQ"/>: Pearson r of the measured data term with ln q, no
/// law involved. <see cref="Error"/> when the fit failed (the rest is then null).
/// </summary>
public sealed record QualityFit(
    string Source,
    IReadOnlyList<double> Qualities,
    double? C, double? W5, double? B, double? Rmse, double? R2, double? OffsetR2,
    IReadOnlyList<double?> FittedD, double? DVersusQualityR2, double? LogSlope, double? OffsetVersusLogQ,
    IReadOnlyList<string> Warnings, string? Error);

/// <summary>
/// How far a proxy's estimate is from the true rate: per dataset (bits and relative), the mean absolute relative miss, the
/// miss left after the best single scale factor (a constant factor in q only rescales c, so it costs the law nothing), and
/// Spearman's rank correlation with the true rate (does it order the datasets right).
/// </summary>
public sealed record ProxyMiss(string Proxy, IReadOnlyList<double> EstimatesBits, IReadOnlyList<double> RelativeMisses,
    double MeanAbsRelativeMiss, double Scale, double MeanAbsRelativeMissAfterScale, double RankCorrelation);
