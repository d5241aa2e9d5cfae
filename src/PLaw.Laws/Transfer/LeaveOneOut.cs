namespace PLaw.Laws.Transfer;

/// <summary>How well one held-out dataset's runs were predicted from the others (or why they were not).</summary>
public sealed record HeldOutError(string Dataset, int Runs, IReadOnlyList<MeasuredComparison> Comparisons, string? Refusal)
{
    public bool Predicted => Refusal is null && Comparisons.Count > 0;

    /// <summary>Mean |predicted − measured| over the dataset's runs.</summary>
    public double MeanAbsoluteError => Comparisons.Count == 0 ? double.NaN : Comparisons.Average(c => Math.Abs(c.Error));

    /// <summary>Mean |predicted − measured| / |measured| (runs measuring exactly 0 left out).</summary>
    public double MeanRelativeError =>
        Comparisons.Where(c => c.Run.Value != 0).Select(c => Math.Abs(c.Error / c.Run.Value)).DefaultIfEmpty(double.NaN).Average();

    /// <summary>Share of runs inside the prediction's interval (NaN without an interval).</summary>
    public double Coverage => Comparisons.Count == 0 || Comparisons.All(c => c.Low == c.High) ? double.NaN
        : Comparisons.Count(c => c.Covered) / (double)Comparisons.Count;
}

/// <summary>One proxy's leave-one-dataset-out result: per held-out dataset, and averaged over the datasets it predicted (each weighs equally).</summary>
public sealed record ProxyScore(QualityProxy Proxy, IReadOnlyList<HeldOutError> Datasets)
{
    public int PredictedDatasets => Datasets.Count(d => d.Predicted);
    public double MeanAbsoluteError => Mean(d => d.MeanAbsoluteError);
    public double MeanRelativeError => Mean(d => d.MeanRelativeError);
    public double Coverage => Mean(d => d.Coverage);

    private double Mean(Func<HeldOutError, double> of) =>
        Datasets.Where(d => d.Predicted).Select(of).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
}

/// <summary>Every proxy's score and the one that predicts best.</summary>
public sealed record LeaveOneOutReport(IReadOnlyList<ProxyScore> Proxies, int? MaxLength)
{
    /// <summary>Among the proxies that predicted the most held-out datasets, the lowest mean absolute error; null when none predicted any.</summary>
    public ProxyScore? Best
    {
        get
        {
            var most = Proxies.Max(p => p.PredictedDatasets);
            return most == 0 ? null : Proxies.Where(p => p.PredictedDatasets == most).MinBy(p => p.MeanAbsoluteError);
        }
    }
}

/// <summary>
/// Leave-one-dataset-out: for each proxy, each dataset with runs is held out in turn, its surface predicted from the others
/// (<see cref="TransferPredictor"/>), and its measured runs compared with the prediction. A missing entropy row stops the whole
/// evaluation (every fold needs it); a proxy undefined on one dataset, or a joint fit that fails, is that fold's refusal.
/// </summary>
public static class LeaveOneOut
{
    public static LeaveOneOutReport Evaluate(IReadOnlyList<TransferDataset> datasets, IEnumerable<QualityProxy>? proxies = null,
        TransferOptions? options = null, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        options ??= new TransferOptions(Resamples: 0);
        var measured = datasets.Where(d => d.Runs.Count > 0).ToList();
        if (measured.Count < 3)
            throw new TransferException(TransferFailure.TooFewDatasets,
                $"leave-one-dataset-out needs runs on at least three datasets (each held-out one is predicted from at least two others); " +
                $"{measured.Count} {(measured.Count == 1 ? "has" : "have")} runs" +
                (measured.Count == 0 ? "." : $" ({string.Join(", ", measured.Select(d => d.Name))})."));
        foreach (var dataset in measured)
        foreach (var length in dataset.Runs.Select(r => r.MaxLength).Distinct())
            if (dataset.EntropyAt(length) is null)
                TransferPredictor.QualityOf(dataset, length, QualityProxy.Apen);   // throws MissingEntropy naming the dataset and L

        var chosen = (proxies ?? QualityProxies.All).ToList();
        var scores = new List<ProxyScore>();
        var done = 0;
        foreach (var proxy in chosen)
        {
            var folds = new List<HeldOutError>();
            foreach (var held in measured)
            {
                ct.ThrowIfCancellationRequested();
                folds.Add(Fold(held, measured, proxy, options));
                progress?.Report(++done / (double)(chosen.Count * measured.Count));
            }
            scores.Add(new ProxyScore(proxy, folds));
        }
        var lengths = measured.SelectMany(d => d.Runs).Select(r => r.MaxLength).Distinct().ToList();
        return new LeaveOneOutReport(scores, lengths.Count == 1 ? lengths[0] : null);
    }

    /// <summary>The held-out dataset's runs at each of its max lengths, predicted from the other datasets.</summary>
    private static HeldOutError Fold(TransferDataset held, IReadOnlyList<TransferDataset> all, QualityProxy proxy, TransferOptions options)
    {
        var comparisons = new List<MeasuredComparison>();
        try
        {
            foreach (var length in held.Runs.Select(r => r.MaxLength).Distinct().Order())
                comparisons.AddRange(TransferPredictor.Predict(held, all, proxy, length, options).Compare(held.Runs));
        }
        catch (TransferException e) when (e.Reason != TransferFailure.MissingEntropy)
        {
            return new HeldOutError(held.Name, held.Runs.Count, [], e.Message);
        }
        return new HeldOutError(held.Name, held.Runs.Count, comparisons, null);
    }
}
