namespace PLaw.Laws.Fitting;

/// <summary>One held-out observation: what the law fitted on the others predicted for it.</summary>
public sealed record HeldOutPrediction(double[] Input, double Observed, double Predicted)
{
    public double RelativeError => (Predicted - Observed) / Observed;
}

/// <summary>Predictable scaling: fit on the observations <c>train</c> selects (the small configurations), predict the rest.</summary>
public sealed record HoldOutReport(LawFit Fit, IReadOnlyList<HeldOutPrediction> Predictions)
{
    public double MaxAbsoluteRelativeError => Predictions.Count == 0 ? 0 : Predictions.Max(p => Math.Abs(p.RelativeError));
    public double MeanAbsoluteRelativeError => Predictions.Count == 0 ? 0 : Predictions.Average(p => Math.Abs(p.RelativeError));
}

/// <summary>Predictable scaling: fit on the small configurations, predict the held-out large ones, report the error.</summary>
public static class HoldOut
{
    public static HoldOutReport Run(ILawModel model, FitData data, Func<double[], bool> train, FitOptions? options = null)
    {
        var trainIndices = new List<int>();
        var heldIndices = new List<int>();
        for (var i = 0; i < data.Count; i++)
            (train(data.Input(i).ToArray()) ? trainIndices : heldIndices).Add(i);
        var fit = LawFitter.Fit(model, data.Select(trainIndices), options);
        var predictions = heldIndices.Select(i => new HeldOutPrediction(data.Input(i).ToArray(), data.Values[i], fit.Predict(data.Input(i).ToArray()))).ToList();
        return new HoldOutReport(fit, predictions);
    }
}
