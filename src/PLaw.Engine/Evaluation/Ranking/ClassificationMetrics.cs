namespace PLaw.Engine.Evaluation.Ranking;

/// <summary>
/// Metrics of a ranker that scores labelled impressions (HSTU as a ranker; the survey's ranking task): AUC, GAUC and
/// LogLoss. Scores must be finite; a non-finite one fails with its index, as the retrieval metrics do.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>
    /// AUC = P(score of a random positive &gt; score of a random negative), ties counting one half — the Mann–Whitney U
    /// statistic over the positives' mid-ranks: AUC = (Σ_{i∈P} rank_i − |P|(|P|+1)/2) / (|P|·|N|). O(n log n).
    /// </summary>
    public static double Auc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        Check(scores, labels);
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        long positives = 0;
        double rankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && keys[end + 1] == keys[start]) end++;
            var midRank = (start + end) / 2.0 + 1; // 1-based mid-rank of the tied run
            for (var k = start; k <= end; k++)
                if (labels[order[k]])
                {
                    positives++;
                    rankSum += midRank;
                }
            start = end + 1;
        }
        var negatives = scores.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new InvalidOperationException($"AUC needs positive and negative labels (has {positives:N0} positive, {negatives:N0} negative).");
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// GAUC = Σ_u n_u·AUC_u / Σ_u n_u over the users with both a positive and a negative impression, n_u their impression
    /// count (Zhou et al., DIN, eq. 4 weighting by impressions). <paramref name="users"/> gives each impression's user.
    /// </summary>
    public static double Gauc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, ReadOnlySpan<int> users)
    {
        Check(scores, labels);
        if (users.Length != scores.Length) throw new ArgumentException($"{users.Length:N0} users for {scores.Length:N0} scores.");
        var byUser = new Dictionary<int, List<int>>();
        for (var i = 0; i < users.Length; i++)
        {
            if (!byUser.TryGetValue(users[i], out var list)) byUser[users[i]] = list = [];
            list.Add(i);
        }
        double weighted = 0, weights = 0;
        foreach (var rows in byUser.Values)
        {
            var positives = 0;
            foreach (var r in rows) if (labels[r]) positives++;
            if (positives == 0 || positives == rows.Count) continue;
            var s = new double[rows.Count];
            var l = new bool[rows.Count];
            for (var k = 0; k < rows.Count; k++) (s[k], l[k]) = (scores[rows[k]], labels[rows[k]]);
            weighted += rows.Count * Auc(s, l);
            weights += rows.Count;
        }
        return weights > 0 ? weighted / weights
            : throw new InvalidOperationException("GAUC needs a user with both a positive and a negative impression.");
    }

    /// <summary>LogLoss = −mean[y·ln p + (1 − y)·ln(1 − p)], p = σ(score), clamped to [1e-15, 1 − 1e-15].</summary>
    public static double LogLoss(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        Check(scores, labels);
        if (scores.Length == 0) throw new InvalidOperationException("LogLoss of no impressions.");
        double sum = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var p = Math.Clamp(1 / (1 + Math.Exp(-scores[i])), 1e-15, 1 - 1e-15);
            sum -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }
        return sum / scores.Length;
    }

    private static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length) throw new ArgumentException($"{scores.Length:N0} scores for {labels.Length:N0} labels.");
        for (var i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i]))
                throw new InvalidOperationException($"Score {i:N0} is {scores[i]}: a ranker's scores must be finite numbers.");
    }
}
