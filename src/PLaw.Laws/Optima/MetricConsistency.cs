using System.Globalization;

namespace PLaw.Laws.Optima;

/// <summary>
/// Predictions that separate per-metric laws may break: HR@K and NDCG@K cannot fall as K grows (a hit in the top K is a hit in
/// every larger top K), and NDCG@K ≤ HR@K (with one target, NDCG@K = 1/log₂(rank + 1) ≤ 1 exactly when HR@K = 1).
/// <see cref="Enforce"/> returns the smallest upward/downward corrections that restore both, and one sentence per disagreement.
/// </summary>
public static class MetricConsistency
{
    public static (IReadOnlyDictionary<string, double> Values, IReadOnlyList<string> Flags) Enforce(IReadOnlyDictionary<string, double> predicted)
    {
        var values = new Dictionary<string, double>(predicted);
        var flags = new List<string>();
        var hr = Ladder(values, "HR");
        var ndcg = Ladder(values, "NDCG");
        NonDecreasing(values, hr, flags);
        foreach (var (k, name) in ndcg)
            if (hr.FirstOrDefault(h => h.K == k).Name is { } hit && values[name] > values[hit])
            {
                flags.Add($"{name} predicted {F(values[name])} above {hit} {F(values[hit])}: shown as {F(values[hit])} (NDCG@K cannot exceed HR@K).");
                values[name] = values[hit];
            }
        NonDecreasing(values, ndcg, flags);
        return (values, flags);
    }

    private static void NonDecreasing(Dictionary<string, double> values, List<(int K, string Name)> ladder, List<string> flags)
    {
        for (var i = 1; i < ladder.Count; i++)
        {
            var (below, at) = (ladder[i - 1].Name, ladder[i].Name);
            if (values[at] >= values[below]) continue;
            flags.Add($"{at} predicted {F(values[at])} below {below} {F(values[below])}: shown as {F(values[below])} (a metric at a larger K cannot be lower; the separate fits disagree here).");
            values[at] = values[below];
        }
    }

    /// <summary>The metrics of one kind ("HR" → HR@10, HR@50, …) by ascending K.</summary>
    private static List<(int K, string Name)> Ladder(Dictionary<string, double> values, string kind) =>
        values.Keys.Select(name => (Name: name, Parts: name.Split('@')))
            .Where(p => p.Parts.Length == 2 && p.Parts[0] == kind && int.TryParse(p.Parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(p => (int.Parse(p.Parts[1], CultureInfo.InvariantCulture), p.Name))
            .OrderBy(p => p.Item1).ToList();

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
