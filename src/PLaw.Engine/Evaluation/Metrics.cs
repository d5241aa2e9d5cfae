using System.Numerics;
using System.Runtime.InteropServices;

namespace PLaw.Engine.Evaluation;

/// <summary>
/// Ranking metrics accumulated per user (models.md §7): HR@K = mean 1[r ≤ K]; NDCG@K = mean 1[r ≤ K]/log₂(r + 1);
/// MRR = mean 1/r. Ranks are pessimistic: r = 1 + #(other candidates scoring at least as high as the target), so a tie
/// counts against the target and a constant scorer ranks last, not first. Sums in double, merged in a fixed order.
/// </summary>
public sealed class MetricSums
{
    public static readonly int[] Cutoffs = [1, 5, 10, 20, 50, 200];

    public long Users;
    public readonly double[] Hits = new double[Cutoffs.Length];
    public readonly double[] Ndcg = new double[Cutoffs.Length];
    public double ReciprocalRank;
    public double Loss;

    public void Add(long rank, double loss)
    {
        Users++;
        for (var i = 0; i < Cutoffs.Length; i++)
            if (rank <= Cutoffs[i])
            {
                Hits[i] += 1;
                Ndcg[i] += 1 / Math.Log2(rank + 1);
            }
        ReciprocalRank += 1.0 / rank;
        Loss += loss;
    }

    public void Merge(MetricSums other)
    {
        Users += other.Users;
        for (var i = 0; i < Cutoffs.Length; i++)
        {
            Hits[i] += other.Hits[i];
            Ndcg[i] += other.Ndcg[i];
        }
        ReciprocalRank += other.ReciprocalRank;
        Loss += other.Loss;
    }

    public void Clear()
    {
        Users = 0;
        Array.Clear(Hits);
        Array.Clear(Ndcg);
        ReciprocalRank = 0;
        Loss = 0;
    }

    public Dictionary<string, double> ToDictionary()
    {
        var n = Math.Max(Users, 1);
        var d = new Dictionary<string, double>();
        for (var i = 0; i < Cutoffs.Length; i++) d[$"HR@{Cutoffs[i]}"] = Hits[i] / n;
        for (var i = 0; i < Cutoffs.Length; i++) d[$"NDCG@{Cutoffs[i]}"] = Ndcg[i] / n;
        d["MRR"] = ReciprocalRank / n;
        d["loss"] = Loss / n;
        d["users"] = Users;
        return d;
    }

    /// <summary>
    /// Pessimistic rank of the target among <paramref name="scores"/> when every index is a distinct item (full ranking):
    /// 1 + #{i ≠ target : s_i ≥ s_target}. Scores must be finite (the evaluator checks them first).
    /// </summary>
    public static long Rank(ReadOnlySpan<float> scores, int target)
    {
        var s = scores[target];
        long ahead = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && scores.Length >= Vector<float>.Count)
        {
            // Lanes at or above s are −1 in the comparison mask; subtracting the masks counts them.
            var threshold = new Vector<float>(s);
            var counts = Vector<int>.Zero;
            var lanes = MemoryMarshal.Cast<float, Vector<float>>(scores);
            foreach (var v in lanes) counts -= Vector.GreaterThanOrEqual(v, threshold);
            ahead = Vector.Sum(counts);
            i = lanes.Length * Vector<float>.Count;
        }
        for (; i < scores.Length; i++)
            if (scores[i] >= s) ahead++;
        return ahead; // counts the target itself, hence no 1 +
    }

    /// <summary>
    /// Pessimistic rank of the target <paramref name="items"/>[0] (score <paramref name="scores"/>[0]) among sampled
    /// candidates: 1 + #{k ≥ 1 : s_k > s_0, or s_k = s_0 and items[k] ≠ items[0]}. Negatives are drawn with replacement
    /// and may repeat the target (pmixer and Kang's code allow it); such a copy is the target itself, not a rival.
    /// </summary>
    public static long Rank(ReadOnlySpan<float> scores, ReadOnlySpan<int> items)
    {
        var s = scores[0];
        var target = items[0];
        long ahead = 1;
        for (var k = 1; k < scores.Length; k++)
            if (scores[k] > s || (scores[k] == s && items[k] != target)) ahead++;
        return ahead;
    }

    /// <summary>Index of the first score that is NaN or infinite, or −1 when all are finite.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> scores)
    {
        // Fast path: a finite sum proves every term finite (NaN and ±∞ propagate); an overflowing sum falls through.
        if (float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(scores))) return -1;
        for (var i = 0; i < scores.Length; i++)
            if (!float.IsFinite(scores[i])) return i;
        return -1;
    }
}
