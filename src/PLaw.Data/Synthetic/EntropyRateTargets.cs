namespace PLaw.Data.Synthetic;

/// <summary>A Markov chain tuned to a target entropy rate: the Dirichlet concentration found and the rate it gives.</summary>
public sealed record EntropyRateTarget(double TargetBits, double Concentration, double RateBits, int Evaluations)
{
    public double MissBits => RateBits - TargetBits;
}

/// <summary>
/// Finds the Dirichlet concentration α at which <see cref="MarkovSequenceGenerator"/>'s chain has a given stationary entropy
/// rate, with users, items, lengths, Zipf exponent and seed held fixed — so a set of datasets differs only in entropy rate.
/// The rate rises with α (rows go from near-deterministic to the popularity π); bisection on log α. The chain is drawn from
/// the seed before any sequence, so the rate is measured on a one-user, one-item sequence of the same chain (cheap).
/// </summary>
public static class EntropyRateTargets
{
    public const double DefaultToleranceBits = 0.02;

    /// <summary>The bracket searched; below it rows underflow to one item, above it they equal π to many digits.</summary>
    public const double MinConcentration = 1e-3, MaxConcentration = 1e5;

    private const int MaxEvaluations = 80;

    /// <summary>The stationary entropy rate (bits) of the chain <paramref name="options"/> describes.</summary>
    public static double RateBits(MarkovOptions options) =>
        MarkovSequenceGenerator.Generate(options with { Users = 1, MinLength = 1, MaxLength = 1 }).EntropyRateBits;

    /// <summary>The rates reachable with these items and Zipf exponent: at the smallest and the largest concentration searched.</summary>
    public static (double Min, double Max) Range(MarkovOptions options) =>
        (RateBits(options with { Concentration = MinConcentration }), RateBits(options with { Concentration = MaxConcentration }));

    /// <summary>
    /// The concentration whose chain has entropy rate within <paramref name="toleranceBits"/> of <paramref name="targetBits"/>.
    /// Throws <see cref="ArgumentOutOfRangeException"/> when the target is outside <see cref="Range"/>, and
    /// <see cref="InvalidOperationException"/> when the bisection cannot get within the tolerance (the rate is monotone in α only
    /// up to sampling jitter; a tolerance below that jitter cannot be met).
    /// </summary>
    public static EntropyRateTarget Find(MarkovOptions options, double targetBits, double toleranceBits = DefaultToleranceBits,
        CancellationToken ct = default)
    {
        options.Validate();
        if (!(toleranceBits > 0)) throw new ArgumentOutOfRangeException(nameof(toleranceBits), $"The tolerance must be positive, got {toleranceBits}.");
        if (!double.IsFinite(targetBits)) throw new ArgumentOutOfRangeException(nameof(targetBits), $"The target rate must be finite, got {targetBits}.");
        double lo = Math.Log(MinConcentration), hi = Math.Log(MaxConcentration);
        var low = RateBits(options with { Concentration = MinConcentration });
        var high = RateBits(options with { Concentration = MaxConcentration });
        var evaluations = 2;
        if (targetBits < low - toleranceBits || targetBits > high + toleranceBits)
            throw new ArgumentOutOfRangeException(null,
                $"An entropy rate of {targetBits:G4} bits is outside what {options.Items} items with Zipf exponent {options.ZipfExponent:G3} can reach " +
                $"({low:F3}–{high:F3} bits).");
        if (Math.Abs(low - targetBits) <= toleranceBits) return new EntropyRateTarget(targetBits, MinConcentration, low, evaluations);
        if (Math.Abs(high - targetBits) <= toleranceBits) return new EntropyRateTarget(targetBits, MaxConcentration, high, evaluations);

        var best = (Gap: double.PositiveInfinity, Concentration: 0.0, Rate: 0.0);
        while (evaluations < MaxEvaluations)
        {
            ct.ThrowIfCancellationRequested();
            var mid = 0.5 * (lo + hi);
            var concentration = Math.Exp(mid);
            var rate = RateBits(options with { Concentration = concentration });
            evaluations++;
            var gap = Math.Abs(rate - targetBits);
            if (gap < best.Gap) best = (gap, concentration, rate);
            if (gap <= toleranceBits) return new EntropyRateTarget(targetBits, concentration, rate, evaluations);
            if (rate < targetBits) lo = mid;
            else hi = mid;
            if (hi - lo < 1e-12) break;
        }
        throw new InvalidOperationException(
            $"Could not reach an entropy rate of {targetBits:G4} ± {toleranceBits:G2} bits: the closest was {best.Rate:F4} bits at " +
            $"concentration {best.Concentration:G4} after {evaluations} chains. Try a larger tolerance or another seed.");
    }
}
