namespace PLaw.Data.Synthetic;

/// <summary>
/// Multi-domain synthetic data (LSRM §V multi-domain): the items are split into <paramref name="Domains"/> domains (raw item j,
/// 0-based, in domain j mod D, so domains differ in size by at most one and each has its own Zipf head), each with its own
/// Markov chain, and at every step the next item leaves the current item's domain with probability exactly
/// <paramref name="CrossDomainProbability"/> (the known cross-domain transition rate), into one of the other domains chosen
/// uniformly. Domains are named D1, D2, ….
/// </summary>
public sealed record MultiDomainOptions(int Domains = 3, double CrossDomainProbability = 0.2)
{
    public void Validate(int items)
    {
        if (Domains < 2) throw new ArgumentException($"A multi-domain dataset needs at least 2 domains, got {Domains}.");
        if (items < 2 * Domains) throw new ArgumentException($"{items} items cannot make {Domains} domains of at least 2 items each.");
        if (!(CrossDomainProbability is >= 0 and <= 1))
            throw new ArgumentException($"The cross-domain probability must be in [0, 1], got {CrossDomainProbability}.");
    }

    /// <summary>The domain (0-based) of raw item <paramref name="item"/> (0-based).</summary>
    public static int DomainOf(int item, int domains) => item % domains;

    public string[] Names() => Enumerable.Range(1, Domains).Select(k => $"D{k}").ToArray();
}
