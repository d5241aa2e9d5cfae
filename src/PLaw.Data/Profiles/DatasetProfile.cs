using PLaw.Data.Sequences;

namespace PLaw.Data.Profiles;

/// <summary>One bar of the sequence-length histogram: users whose length lies in [From, To].</summary>
public readonly record struct LengthBin(int From, int To, int Users);

/// <summary>One point of the popularity long tail: the item at popularity rank Rank (1 = most popular) occurs Count times.</summary>
public readonly record struct PopularityPoint(int Rank, long Count);

/// <summary>The shape of a dataset after truncation to the last L items: how long sequences are and how skewed item popularity is.</summary>
public sealed record DatasetProfile(
    int MaxLength, int Users, int TruncatedUsers, double MeanLength, int MedianLength,
    IReadOnlyList<LengthBin> Lengths, IReadOnlyList<PopularityPoint> Popularity,
    int ItemsSeen, double TopOnePercentShare, double GiniCoefficient)
{
    /// <summary>Profile of the windows of length <paramref name="maxLength"/> (int.MaxValue: whole sequences).</summary>
    public static DatasetProfile Compute(SequenceSet set, int maxLength, int bins = 40, int maxPopularityPoints = 400)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var lengths = new int[set.UserCount];
        var counts = new long[set.ItemCount + 1];
        var truncated = 0;
        long tokens = 0;
        for (var u = 0; u < set.UserCount; u++)
        {
            var window = set.Window(u, maxLength);
            lengths[u] = window.Length;
            tokens += window.Length;
            if (set.Length(u) > maxLength) truncated++;
            foreach (var item in window) counts[item]++;
        }

        Array.Sort(lengths);
        var median = lengths.Length == 0 ? 0 : lengths[lengths.Length / 2];
        var popularity = counts.AsSpan(1).ToArray().Where(c => c > 0).OrderDescending().ToArray();
        return new DatasetProfile(
            maxLength, set.UserCount, truncated, set.UserCount == 0 ? 0 : (double)tokens / set.UserCount, median,
            Histogram(lengths, bins), LogSpacedTail(popularity, maxPopularityPoints),
            popularity.Length, TopShare(popularity, tokens, 0.01), Gini(popularity));
    }

    /// <summary>Equal-width bins over [min, max] of the sorted lengths, each bin at least one length wide.</summary>
    private static LengthBin[] Histogram(int[] sortedLengths, int bins)
    {
        if (sortedLengths.Length == 0) return [];
        int min = sortedLengths[0], max = sortedLengths[^1];
        var width = Math.Max(1, (int)Math.Ceiling((max - min + 1) / (double)bins));
        var result = new List<LengthBin>();
        var i = 0;
        for (var from = min; from <= max; from += width)
        {
            var to = from + width - 1;
            var start = i;
            while (i < sortedLengths.Length && sortedLengths[i] <= to) i++;
            result.Add(new LengthBin(from, to, i - start));
        }
        return [.. result];
    }

    /// <summary>Ranks spaced evenly in log scale, so a log–log plot of a long tail stays light however many items there are.</summary>
    private static PopularityPoint[] LogSpacedTail(long[] descending, int maxPoints)
    {
        if (descending.Length <= maxPoints)
            return descending.Select((c, i) => new PopularityPoint(i + 1, c)).ToArray();
        var points = new List<PopularityPoint>(maxPoints);
        var last = 0;
        for (var k = 0; k < maxPoints; k++)
        {
            var rank = (int)Math.Round(Math.Exp(Math.Log(descending.Length) * k / (maxPoints - 1)));
            if (rank <= last) continue;
            points.Add(new PopularityPoint(rank, descending[rank - 1]));
            last = rank;
        }
        return [.. points];
    }

    private static double TopShare(long[] descending, long tokens, double fraction)
    {
        if (tokens == 0) return 0;
        var top = Math.Max(1, (int)Math.Ceiling(descending.Length * fraction));
        return descending.Take(top).Sum() / (double)tokens;
    }

    /// <summary>Gini coefficient of item counts: 0 when every item is equally popular, towards 1 for a long tail.</summary>
    private static double Gini(long[] descending)
    {
        var n = descending.Length;
        if (n == 0) return 0;
        double weighted = 0, total = 0;
        for (var i = 0; i < n; i++)
        {
            // G = (n + 1 − 2·Σ_j (n + 1 − j)·x_(j) / Σx) / n over ascending x_(j); the i-th largest has n + 1 − j = i + 1.
            weighted += (double)(i + 1) * descending[i];
            total += descending[i];
        }
        return total == 0 ? 0 : (n + 1 - 2 * weighted / total) / n;
    }
}
