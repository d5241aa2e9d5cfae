using System.Globalization;

namespace PLaw.Engine.Training;

/// <summary>
/// The documented range of every run option, checked by <see cref="RunOptions.Validate"/>. Integer ranges are inclusive;
/// a floating option must also be finite (NaN and ±∞ are refused). The upper limits are far above any study in
/// models.md (P-Law's largest: 24 layers, width 1,024, length 200) but keep each buffer the engine allocates within one
/// .NET array and each count within an <c>int</c>; whether a run inside them fits this machine is <see cref="MemoryEstimate"/>'s job.
/// </summary>
public static class RunLimits
{
    public const int MaxLayers = 256;
    public const int MaxDim = 16_384;
    public const int MaxHeads = 256;
    public const int MaxWindow = 16_384;
    public const int MaxNegatives = 100_000;
    public const int MaxBatchSize = 65_536;
    public const int MaxEpochs = 100_000;
    public const int MaxEvalEvery = MaxEpochs;
    public const int MaxEvalUsers = 100_000_000;
    public const int MaxWarmupSteps = 1_000_000_000;
    public const int MaxPlateauPatience = 10_000;
    public const int MaxThreads = 256;
    public const double MaxTemperature = 100;
    public const double MaxLearningRate = 10;
    public const double MaxWeightDecay = 10;
    public const double MaxEpsilon = 1;
    public const double MaxClipNorm = 1e6;

    /// <summary>"<paramref name="name"/> must be from <paramref name="min"/> to <paramref name="max"/> (got …)." when outside, else null.</summary>
    internal static string? Whole(string name, long value, long min, long max) =>
        value < min || value > max ? Invariant($"{name} must be from {min:N0} to {max:N0} (got {value:N0}).") : null;

    /// <summary>
    /// A problem when <paramref name="value"/> is not finite or lies outside [<paramref name="min"/>, <paramref name="max"/>]
    /// (an end marked open is excluded; NaN = no bound), else null. Written so that NaN fails every comparison it takes part in.
    /// </summary>
    internal static string? Real(string name, double value, double min, double max, bool minOpen = false, bool maxOpen = false)
    {
        if (!double.IsFinite(value)) return Invariant($"{name} must be a finite number (got {Show(value)}).");
        var aboveMin = double.IsNaN(min) || (minOpen ? value > min : value >= min);
        var belowMax = double.IsNaN(max) || (maxOpen ? value < max : value <= max);
        return aboveMin && belowMax ? null
            : Invariant($"{name} must be in {(minOpen ? "(" : "[")}{Show(min)}, {Show(max)}{(maxOpen ? ")" : "]")} (got {Show(value)}).");
    }

    private static string Show(double value) => double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity" : value.ToString("G", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
