using PLaw.Laws.Fitting;
using PLaw.Laws.Fitting.Models;

namespace PLaw.Laws.Transfer;

/// <summary>
/// Predicts a dataset's performance surface from its entropy table alone (issue 13, "laws that travel to new data"): the joint
/// law P_k(n, d) = w1·φ(n; w3) + w2·φ(d; w4) + φ(c·q_k; w5) + b (<see cref="JointPerformanceLaw"/>) is fitted on the runs of every
/// other dataset, each run's q_k read from its dataset's entropy row at the run's max length, then evaluated at the new
/// dataset's q. Runs of one dataset at several max lengths count as several datasets (a different L is a different corpus).
/// </summary>
public static class TransferPredictor
{
    /// <summary>Extra attempts to draw a resample with at least two distinct datasets before counting it as failed.</summary>
    private const int DrawAttempts = 20;

    /// <param name="target">The dataset to predict (its runs, if any, are never used for the fit).</param>
    /// <param name="registry">Every dataset; those other than <paramref name="target"/> with runs are fitted.</param>
    /// <param name="maxLength">Max length L of the surface; default: the target's usual L, else the fitted runs' usual L.</param>
    public static TransferPrediction Predict(TransferDataset target, IEnumerable<TransferDataset> registry, QualityProxy proxy,
        int? maxLength = null, TransferOptions? options = null)
    {
        options ??= new TransferOptions();
        if (options.Level is <= 0 or >= 1) throw new ArgumentException($"interval level {options.Level}: expected a number between 0 and 1.");
        if (options.Resamples < 0) throw new ArgumentException($"resamples {options.Resamples}: expected 0 or more.");
        var others = registry.Where(d => d.Name != target.Name && d.Runs.Count > 0).ToList();
        if (others.Count < 2)
            throw new TransferException(TransferFailure.TooFewDatasets,
                $"predicting '{target.Name}' needs runs on at least two other datasets to fit c across datasets; the registry has " +
                (others.Count == 0 ? "none" : $"one ('{others[0].Name}')") + ". Train a few runs on more datasets first.", target.Name);

        var groups = Groups(others, proxy);
        var length = maxLength ?? target.UsualMaxLength
            ?? others.SelectMany(d => d.Runs).GroupBy(r => r.MaxLength).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var quality = QualityOf(target, length, proxy);
        var points = groups.SelectMany(g => g.Points).ToList();
        LawFit fit;
        // The joint law itself (JointPerformanceFit adds per-dataset D fits, which refuse datasets with fewer runs than their five
        // parameters; a prediction does not need them).
        try { fit = LawFitter.Fit(JointPerformanceLawModel.Instance, JointData(points)); }
        catch (Exception e) when (e is LawFitException or MathNet.Numerics.NonConvergenceException)
        {
            // The fitter's identifiability analysis (an SVD) can fail to converge on a degenerate Jacobian.
            throw new TransferException(TransferFailure.FitFailed, $"cannot fit the joint law on the other datasets' runs: {e.Message}", target.Name);
        }
        var sources = groups.Select(g => new TransferSource(g.Source.Dataset, g.Points.Count, g.Source.MaxLength, g.Source.Quality)).ToList();
        var replicates = Resample(groups, fit, options, out var failed);
        return new TransferPrediction(target.Name, proxy, length, quality, fit, sources, replicates, failed, options.Level);
    }

    /// <summary>q of <paramref name="dataset"/> at max length L, or the reason there is none (naming the dataset and L).</summary>
    public static double QualityOf(TransferDataset dataset, int maxLength, QualityProxy proxy)
    {
        var row = dataset.EntropyAt(maxLength)
                  ?? throw new TransferException(TransferFailure.MissingEntropy,
                      $"dataset '{dataset.Name}' has no entropy table at max length {maxLength}" +
                      (dataset.Entropy.Count == 0 ? "" : $" (it has L = {string.Join(", ", dataset.Entropy.Select(r => r.MaxLen).Order())})") +
                      ": measure it first.", dataset.Name, maxLength);
        return proxy.Quality(row)
               ?? throw new TransferException(TransferFailure.UndefinedQuality,
                   $"dataset '{dataset.Name}' at max length {maxLength}: {proxy.Label()} is undefined ({proxy.Key()} entropy {proxy.Entropy(row):G4}, " +
                   $"{row.Tokens:N0} tokens); choose another proxy.", dataset.Name, maxLength);
    }

    private static FitData JointData(IReadOnlyList<DatasetPerformancePoint> points) =>
        FitData.FromRows(points.Select(p => new double[] { p.Layers, p.Dim, p.Quality }).ToList(), points.Select(p => p.Value).ToList());

    private sealed record Group(TransferSource Source, List<DatasetPerformancePoint> Points);

    /// <summary>The fitted datasets' runs as joint-law points, one group per (dataset, max length).</summary>
    private static List<Group> Groups(IEnumerable<TransferDataset> datasets, QualityProxy proxy)
    {
        var groups = new List<Group>();
        foreach (var dataset in datasets)
        {
            var byLength = dataset.Runs.GroupBy(r => r.MaxLength).OrderBy(g => g.Key).ToList();
            foreach (var runs in byLength)
            {
                var q = QualityOf(dataset, runs.Key, proxy);
                var key = byLength.Count == 1 ? dataset.Name : $"{dataset.Name}@L{runs.Key}";
                groups.Add(new Group(new TransferSource(dataset.Name, runs.Count(), runs.Key, q),
                    runs.Select(r => new DatasetPerformancePoint(key, q, r.Layers, r.Dim, r.Value)).ToList()));
            }
        }
        return groups;
    }

    /// <summary>
    /// Two-stage bootstrap, fixed seed: draw the datasets with replacement (redrawn until at least two distinct ones, or c has
    /// nothing to be fitted across), then each drawn dataset's runs with replacement; refit the joint law warm-started at the
    /// full fit. Refits the fitter refuses are counted, not hidden.
    /// </summary>
    private static List<JointPerformanceLawParameters> Resample(IReadOnlyList<Group> groups, LawFit full, TransferOptions options,
        out int failed)
    {
        var random = new Random(options.Seed);
        var warm = new FitOptions(MaxDescents: 2, Starts: [full.Values], SkipModelStarts: true);
        var replicates = new List<JointPerformanceLawParameters>(options.Resamples);
        failed = 0;
        var drawn = new int[groups.Count];
        for (var r = 0; r < options.Resamples; r++)
        {
            var distinct = false;
            for (var attempt = 0; attempt < DrawAttempts && !distinct; attempt++)
            {
                for (var k = 0; k < drawn.Length; k++) drawn[k] = random.Next(groups.Count);
                distinct = drawn.Distinct().Count() >= 2;
            }
            if (!distinct) { failed++; continue; }
            var rows = new List<double[]>();
            var values = new List<double>();
            foreach (var k in drawn)
            {
                var points = groups[k].Points;
                for (var i = 0; i < points.Count; i++)
                {
                    var p = points[random.Next(points.Count)];
                    rows.Add([p.Layers, p.Dim, p.Quality]);
                    values.Add(p.Value);
                }
            }
            try
            {
                var fit = LawFitter.Fit(JointPerformanceLawModel.Instance, FitData.FromRows(rows, values), warm);
                var v = fit.Values;
                replicates.Add(new JointPerformanceLawParameters(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
            }
            catch (Exception e) when (e is LawFitException or MathNet.Numerics.NonConvergenceException)
            {
                failed++;
            }
        }
        return replicates;
    }
}
