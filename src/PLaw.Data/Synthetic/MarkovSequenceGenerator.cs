using PLaw.Data.Sequences;

namespace PLaw.Data.Synthetic;

/// <summary>
/// Sequences from a Markov chain with Dirichlet transition rows — the data-generating process the P-Law theorem assumes, so
/// the entropy of the data is known and controllable. Deterministic for a seed; timestamps one day apart per user. Optionally
/// multi-domain (<see cref="MultiDomainOptions"/>), with a known probability of crossing domains at each step.
/// </summary>
public static class MarkovSequenceGenerator
{
    private const long Epoch = 1_700_000_000; // 2023-11-14, so time-aware models see plausible unix seconds

    /// <summary>
    /// Sequences from the chain of <paramref name="options"/>; with <paramref name="domains"/>, from the multi-domain chain
    /// (<see cref="MultiDomainOptions"/>) with each item's domain attached. Without it the output is exactly what it always was.
    /// </summary>
    public static MarkovDataset Generate(MarkovOptions options, MultiDomainOptions? domains = null)
    {
        options.Validate();
        domains?.Validate(options.Items);
        var random = new Random(options.Seed);
        var items = options.Items;
        var (rows, first) = domains is null
            ? SingleDomainRows(random, options)
            : MultiDomainRows(random, options, domains);

        // Cumulative transition rows, row i for current item i (0-based), for sampling by binary search.
        var cumulative = new double[items * items];
        var entropies = new double[items];
        for (var i = 0; i < items; i++)
        {
            var row = rows.AsSpan(i * items, items);
            double running = 0, entropy = 0;
            for (var j = 0; j < items; j++)
            {
                running += row[j];
                cumulative[i * items + j] = running;
                if (row[j] > 0) entropy -= row[j] * Math.Log2(row[j]);
            }
            cumulative[i * items + items - 1] = double.MaxValue; // guard against rounding below the last draw
            entropies[i] = entropy;
        }

        var stationary = Stationary(rows, items, first);
        var rate = 0.0;
        for (var i = 0; i < items; i++) rate += stationary[i] * entropies[i];

        var startCumulative = new double[items];
        double total = 0;
        for (var j = 0; j < items; j++) startCumulative[j] = total += first[j];
        startCumulative[^1] = double.MaxValue;

        var offsets = new int[options.Users + 1];
        var sequence = new List<int>(options.Users * (options.MinLength + options.MaxLength) / 2);
        var times = new List<long>(sequence.Capacity);
        for (var u = 0; u < options.Users; u++)
        {
            var length = random.Next(options.MinLength, options.MaxLength + 1);
            var start = Epoch + random.Next(0, 365) * 86_400L;
            var current = Draw(startCumulative, 0, items, random.NextDouble());
            for (var t = 0; t < length; t++)
            {
                sequence.Add(current + 1);
                times.Add(start + t * 86_400L);
                current = Draw(cumulative, current * items, items, random.NextDouble());
            }
            offsets[u + 1] = sequence.Count;
        }

        // Ids in order of first appearance, as the importers number them.
        var dense = new int[items + 1];
        var next = 0;
        var ids = sequence.ToArray();
        for (var k = 0; k < ids.Length; k++)
        {
            if (dense[ids[k]] == 0) dense[ids[k]] = ++next;
            ids[k] = dense[ids[k]];
        }
        ItemDomains? itemDomains = null;
        if (domains is not null)
        {
            var domainOf = new int[next + 1];
            for (var raw = 1; raw <= items; raw++)
                if (dense[raw] > 0) domainOf[dense[raw]] = MultiDomainOptions.DomainOf(raw - 1, domains.Domains);
            itemDomains = new ItemDomains(domains.Names(), domainOf);
        }
        return new MarkovDataset(new SequenceSet(offsets, ids, next, times.ToArray(), itemDomains), rate);
    }

    /// <summary>Every row ~ Dirichlet(α·π) over all items, π the Zipf popularity, which also starts each sequence.</summary>
    private static (double[] Rows, double[] Start) SingleDomainRows(Random random, MarkovOptions options)
    {
        var items = options.Items;
        var popularity = ZipfPopularity(items, options.ZipfExponent);
        var rows = new double[items * items];
        var row = new double[items];
        for (var i = 0; i < items; i++)
        {
            Dirichlet(random, popularity, options.Concentration, row);
            row.CopyTo(rows, i * items);
        }
        return (rows, popularity);
    }

    /// <summary>
    /// The multi-domain chain of <see cref="MultiDomainOptions"/>: from an item of domain d, with probability 1 − p the next
    /// item follows d's own row ~ Dirichlet(α·π_d) over d's items; with probability p it is drawn from another domain e,
    /// chosen uniformly among the D − 1 others, by e's Zipf popularity π_e. A sequence starts in a uniform domain at π_d.
    /// </summary>
    private static (double[] Rows, double[] Start) MultiDomainRows(Random random, MarkovOptions options, MultiDomainOptions domains)
    {
        var items = options.Items;
        var d = domains.Domains;
        var p = domains.CrossDomainProbability;
        var members = new int[d][];
        var popularity = new double[d][];
        for (var k = 0; k < d; k++)
        {
            members[k] = Enumerable.Range(0, items).Where(j => MultiDomainOptions.DomainOf(j, d) == k).ToArray();
            popularity[k] = ZipfPopularity(members[k].Length, options.ZipfExponent);
        }
        var rows = new double[items * items];
        var start = new double[items];
        for (var k = 0; k < d; k++)
            for (var r = 0; r < members[k].Length; r++)
                start[members[k][r]] = popularity[k][r] / d;
        for (var i = 0; i < items; i++)
        {
            var home = MultiDomainOptions.DomainOf(i, d);
            var own = new double[members[home].Length];
            Dirichlet(random, popularity[home], options.Concentration, own);
            var row = rows.AsSpan(i * items, items);
            for (var k = 0; k < d; k++)
                for (var r = 0; r < members[k].Length; r++)
                    row[members[k][r]] = k == home ? (1 - p) * own[r] : p / (d - 1) * popularity[k][r];
        }
        return (rows, start);
    }

    private static double[] ZipfPopularity(int items, double exponent)
    {
        var p = new double[items];
        double sum = 0;
        for (var j = 0; j < items; j++) sum += p[j] = 1 / Math.Pow(j + 1, exponent);
        for (var j = 0; j < items; j++) p[j] /= sum;
        return p;
    }

    /// <summary>Dirichlet(α·π) as normalised Gamma(α·π_j) draws.</summary>
    private static void Dirichlet(Random random, double[] popularity, double concentration, double[] row)
    {
        double sum = 0;
        for (var j = 0; j < row.Length; j++) sum += row[j] = Gamma(random, concentration * popularity[j]);
        if (sum <= 0)
        {
            // every draw underflowed (tiny shapes): the row puts all mass on one item picked by popularity
            Array.Clear(row);
            row[Draw(Cumulative(popularity), 0, row.Length, random.NextDouble())] = 1;
            return;
        }
        for (var j = 0; j < row.Length; j++) row[j] /= sum;
    }

    /// <summary>Marsaglia–Tsang (2000) for shape ≥ 1; for shape &lt; 1, Gamma(a) = Gamma(a + 1) · U^(1/a).</summary>
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1)
            return Gamma(random, shape + 1) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            var u = 1 - random.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
                return d * v;
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double[] Cumulative(double[] p)
    {
        var c = new double[p.Length];
        double s = 0;
        for (var j = 0; j < p.Length; j++) c[j] = s += p[j];
        c[^1] = double.MaxValue;
        return c;
    }

    private static int Draw(double[] cumulative, int offset, int count, double u)
    {
        int lo = 0, hi = count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (cumulative[offset + mid] > u) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>
    /// Stationary distribution μ = μP by power iteration from π on the lazy chain (I + P)/2, which has the same μ but cannot
    /// oscillate, so near-deterministic (nearly periodic) chains converge too. Rows drawn with small concentration are almost
    /// all zeros, so the iteration walks only entries above 1e-15 (their mass is what matters at that precision).
    /// </summary>
    private static double[] Stationary(double[] rows, int items, double[] start)
    {
        var starts = new int[items + 1];
        var columns = new List<int>();
        var weights = new List<double>();
        for (var i = 0; i < items; i++)
        {
            for (var j = 0; j < items; j++)
                if (rows[i * items + j] > 1e-15)
                {
                    columns.Add(j);
                    weights.Add(rows[i * items + j]);
                }
            starts[i + 1] = columns.Count;
        }
        var column = columns.ToArray();
        var weight = weights.ToArray();
        var mu = (double[])start.Clone();
        var next = new double[items];
        for (var iteration = 0; iteration < 20_000; iteration++)
        {
            for (var j = 0; j < items; j++) next[j] = 0.5 * mu[j];
            for (var i = 0; i < items; i++)
            {
                var m = 0.5 * mu[i];
                for (var k = starts[i]; k < starts[i + 1]; k++) next[column[k]] += m * weight[k];
            }
            double change = 0, total = 0;
            for (var j = 0; j < items; j++) total += next[j];
            for (var j = 0; j < items; j++)
            {
                next[j] /= total;
                change += Math.Abs(next[j] - mu[j]);
            }
            (mu, next) = (next, mu);
            if (change < 1e-12) break;
        }
        return mu;
    }
}
