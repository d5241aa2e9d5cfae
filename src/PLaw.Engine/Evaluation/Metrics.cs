namespace PLaw.Engine.Evaluation;

/// <summary>
/// Ranking metrics accumulated per user (models.md §7), rank r = 1 + #(candidates scoring strictly higher), so ties
/// favour the target: HR@K = mean 1[r ≤ K]; NDCG@K = mean 1[r ≤ K]/log₂(r + 1); MRR = mean 1/r. Sums in double,
/// merged in a fixed order.
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

    /// <summary>Rank of the target among <paramref name="scores"/> (index 0 is the target).</summary>
    public static long Rank(ReadOnlySpan<float> scores, int target = 0)
    {
        var s = scores[target];
        long higher = 0;
        for (var i = 0; i < scores.Length; i++)
            if (scores[i] > s) higher++;
        return 1 + higher;
    }
}
