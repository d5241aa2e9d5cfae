using PLaw.Data.Sequences;

namespace PLaw.Data.Synthetic;

/// <summary>
/// How <see cref="SyntheticLabels"/> draws labelled impressions: P(positive | user u, item i) = σ(<see cref="BaseLogit"/> +
/// a_i + b_u), with item appeal a_i ~ N(0, <see cref="ItemSpread"/>²) and user leniency b_u ~ N(0, <see cref="UserSpread"/>²).
/// A ranker can learn a_i from the item and b_u from the user's earlier actions, so both AUC and GAUC have room above ½.
/// </summary>
public sealed record SyntheticLabelOptions(double BaseLogit = 0.3, double ItemSpread = 1.5, double UserSpread = 1.0, int Seed = 42)
{
    public void Validate()
    {
        if (!double.IsFinite(BaseLogit)) throw new ArgumentException($"Base logit must be finite, got {BaseLogit}.");
        if (!(ItemSpread >= 0) || double.IsInfinity(ItemSpread)) throw new ArgumentException($"Item spread must be finite and ≥ 0, got {ItemSpread}.");
        if (!(UserSpread >= 0) || double.IsInfinity(UserSpread)) throw new ArgumentException($"User spread must be finite and ≥ 0, got {UserSpread}.");
    }
}

/// <summary>
/// Labels any sequences as impressions (the ranking task's data without real ratings): each interaction is positive with
/// the probability of <see cref="SyntheticLabelOptions"/>. Deterministic for a seed; the sequences are not changed.
/// </summary>
public static class SyntheticLabels
{
    /// <summary>The same sequences with a label per interaction attached.</summary>
    public static SequenceSet Attach(SequenceSet sequences, SyntheticLabelOptions options)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(options.Seed);
        var appeal = new double[sequences.ItemCount + 1];
        for (var i = 1; i < appeal.Length; i++) appeal[i] = options.ItemSpread * Gaussian(random);
        var labels = new bool[sequences.Items.Length];
        for (var u = 0; u < sequences.UserCount; u++)
        {
            var leniency = options.UserSpread * Gaussian(random);
            for (var k = sequences.Offsets[u]; k < sequences.Offsets[u + 1]; k++)
            {
                var logit = options.BaseLogit + appeal[sequences.Items[k]] + leniency;
                labels[k] = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            }
        }
        return sequences.WithLabels(labels);
    }

    // Box–Muller; one draw per call keeps the stream simple to follow.
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
