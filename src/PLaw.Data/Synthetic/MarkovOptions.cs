namespace PLaw.Data.Synthetic;

/// <summary>
/// A first-order Markov chain over <paramref name="Items"/> items: transition rows ~ Dirichlet(Concentration · π), π a Zipf
/// popularity ∝ 1/rank^<paramref name="ZipfExponent"/>. Low concentration makes rows near-deterministic (low entropy rate),
/// high concentration makes every row close to π. Sequence lengths are uniform in [MinLength, MaxLength].
/// </summary>
public sealed record MarkovOptions(int Users = 2000, int Items = 500, double Concentration = 0.1, double ZipfExponent = 1.0,
    int MinLength = 20, int MaxLength = 120, int Seed = 42)
{
    public void Validate()
    {
        if (Users < 1) throw new ArgumentException($"Users must be ≥ 1, got {Users}.");
        if (Items < 2) throw new ArgumentException($"Items must be ≥ 2, got {Items}.");
        if (!(Concentration > 0) || double.IsInfinity(Concentration)) throw new ArgumentException($"Concentration must be positive, got {Concentration}.");
        if (!(ZipfExponent >= 0)) throw new ArgumentException($"Zipf exponent must be ≥ 0, got {ZipfExponent}.");
        if (MinLength < 1 || MaxLength < MinLength) throw new ArgumentException($"Need 1 ≤ MinLength ≤ MaxLength, got {MinLength}..{MaxLength}.");
    }
}

/// <summary>Generated sequences with the chain's stationary entropy rate Σ_i μ_i H(P_i·) in bits — the answer an estimator should approach.</summary>
public sealed record MarkovDataset(Sequences.SequenceSet Sequences, double EntropyRateBits);
