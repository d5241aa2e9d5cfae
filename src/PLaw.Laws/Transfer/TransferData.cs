using PLaw.Entropy;

namespace PLaw.Laws.Transfer;

/// <summary>One measured run of a dataset: shape, the max length L its sequences were cut to, and its final metric value.</summary>
public sealed record TransferRun(int Layers, int Dim, int MaxLength, double Value, int? RunId = null);

/// <summary>
/// A dataset as the transfer laws see it: its name, its entropy table (one row per max length L; ApEn with the registry's
/// m and r) and its runs of one model family, one metric (none for a new dataset).
/// </summary>
public sealed record TransferDataset(string Name, IReadOnlyList<EntropyRow> Entropy, IReadOnlyList<TransferRun> Runs)
{
    public EntropyRow? EntropyAt(int maxLength) => Entropy.FirstOrDefault(r => r.MaxLen == maxLength);

    /// <summary>The max length most of its runs use (ties to the shorter), null without runs.</summary>
    public int? UsualMaxLength => Runs.Count == 0 ? null
        : Runs.GroupBy(r => r.MaxLength).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
}

/// <summary>Why a transfer prediction cannot be made.</summary>
public enum TransferFailure
{
    /// <summary>Fewer than two other datasets with runs: c cannot be fitted across datasets.</summary>
    TooFewDatasets,
    /// <summary>A dataset has no entropy row at the max length its runs (or the prediction) use.</summary>
    MissingEntropy,
    /// <summary>The proxy's entropy is zero (or not finite) in the row: q is undefined.</summary>
    UndefinedQuality,
    /// <summary>The joint law could not be fitted to the other datasets' runs.</summary>
    FitFailed,
}

/// <summary>A prediction the transfer laws refuse, with the dataset and max length concerned so a caller can say what to run.</summary>
public sealed class TransferException(TransferFailure reason, string message, string? dataset = null, int? maxLength = null)
    : InvalidOperationException(message)
{
    public TransferFailure Reason { get; } = reason;
    public string? Dataset { get; } = dataset;
    public int? MaxLength { get; } = maxLength;
}
