using System.Globalization;
using PLaw.Engine.Evaluation;

namespace PLaw.Engine.Challenges;

/// <summary>
/// Full ranking as the evaluator's full protocol does it (models.md §7): the user's known history is masked (−∞) except
/// the target, ranks are pessimistic (<see cref="MetricSums.Rank(ReadOnlySpan{float}, int)"/>: a tie counts against
/// the target), and a NaN or infinite score is an error naming the user and the item.
/// </summary>
public static class FullRanking
{
    public const int K = 10;

    /// <summary>Throws when a real item (1..I) scores NaN or ±∞.</summary>
    public static void CheckFinite(ReadOnlySpan<float> row, int user, string task)
    {
        if (MetricSums.FirstNonFinite(row[1..]) is var bad and >= 0)
            throw new InvalidOperationException(
                $"Challenge {task} stopped: user {user} (0-based index in the data set) got the score " +
                $"{row[bad + 1].ToString(CultureInfo.InvariantCulture)} for item {bad + 1}; every score must be a finite number. " +
                "The run's weights have probably diverged.");
    }

    /// <summary>Masks <paramref name="history"/> to −∞, keeping the score of <paramref name="keep"/> (the target; 0 = none).</summary>
    public static void Mask(Span<float> row, ReadOnlySpan<int> history, int keep)
    {
        var kept = keep > 0 ? row[keep] : 0;
        foreach (var item in history) row[item] = float.NegativeInfinity;
        if (keep > 0) row[keep] = kept;
    }

    /// <summary>The <paramref name="top"/>.Length best items of <paramref name="row"/>, best first (<see cref="TopItems.Of"/>).</summary>
    public static void Top(ReadOnlySpan<float> row, Span<int> top, Span<float> score) => TopItems.Of(row, top, score);

    /// <summary>The best item of <paramref name="row"/> (1..I; the lowest id among equal scores), or 0 when every item is masked.</summary>
    public static int Best(ReadOnlySpan<float> row)
    {
        var best = 0;
        var max = float.NegativeInfinity;
        for (var j = 1; j < row.Length; j++)
            if (row[j] > max)
            {
                max = row[j];
                best = j;
            }
        return best;
    }
}

/// <summary>HR@10 and NDCG@10 sums over users (models.md §7: HR@K = mean 1[r ≤ K], NDCG@K = mean 1[r ≤ K]/log₂(r + 1)).</summary>
public sealed class HitSums
{
    public long Users;
    public double Hits, Ndcg;

    public void Add(long rank)
    {
        Users++;
        if (rank > FullRanking.K) return;
        Hits += 1;
        Ndcg += 1 / Math.Log2(rank + 1);
    }

    public void Merge(HitSums other)
    {
        Users += other.Users;
        Hits += other.Hits;
        Ndcg += other.Ndcg;
    }

    public void Clear() => (Users, Hits, Ndcg) = (0, 0, 0);

    /// <summary>HR@10, or null when no user was scored.</summary>
    public double? HitRate => Users == 0 ? null : Hits / Users;
    public double? NdcgAt10 => Users == 0 ? null : Ndcg / Users;
}
