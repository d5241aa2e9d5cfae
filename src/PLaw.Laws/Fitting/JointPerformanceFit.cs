using PLaw.Laws.Fitting.Models;

namespace PLaw.Laws.Fitting;

/// <summary>A straight line y = intercept + slope·x fitted by least squares, with its R².</summary>
public sealed record LinearRelation(double Intercept, double Slope, double R2)
{
    public static LinearRelation Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var design = new double[x.Count, 2];
        for (var i = 0; i < x.Count; i++) { design[i, 0] = 1; design[i, 1] = x[i]; }
        var beta = LeastSquares.Solve(design, y)
                   ?? throw new LawFitException(FitFailure.TooFewPoints, "a line needs at least two distinct x values.");
        var mean = y.Average();
        double sse = 0, sst = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var r = y[i] - beta[0] - beta[1] * x[i];
            sse += r * r;
            sst += (y[i] - mean) * (y[i] - mean);
        }
        return new LinearRelation(beta[0], beta[1], sst > 0 ? 1 - sse / sst : double.NaN);
    }
}

/// <summary>One dataset in a joint fit: its quality q, D fitted on its own points (w5, b held at the joint values), and c·q.</summary>
public sealed record DatasetDataParameter(string Dataset, double Quality, int Points, double FittedD, double JointD, bool FittedDIdentifiable);

/// <summary>
/// The joint performance law across datasets (D_k = c·q_k; shared w1…w5, c, b) and how well q explains D.
/// For "D fitted separately": on one dataset D, w5 and b trade off (see <see cref="Identifiability"/>), so each dataset's D is
/// fitted with w1…w4 free and w5, b held at the joint values, started at c·q_k (φ(D; w5) is not monotone; the start picks
/// the branch the joint law uses). <see cref="DVersusQuality"/> is the least-squares line D_k ≈ intercept + slope·q_k and its R².
/// </summary>
public sealed record JointPerformanceFit(LawFit Result, IReadOnlyList<DatasetDataParameter> Datasets, LinearRelation DVersusQuality)
{
    public JointPerformanceLawParameters Parameters { get; } = new(Result.Values[0], Result.Values[1], Result.Values[2], Result.Values[3],
        Result.Values[4], Result.Values[5], Result.Values[6]);

    /// <summary>The curve of a dataset the fit has not seen, from its entropy table alone (its tokens/ApEn).</summary>
    public PerformanceLawParameters ForDataset(double quality) => Parameters.ForDataset(quality);

    public static JointPerformanceFit Fit(IReadOnlyList<DatasetPerformancePoint> points, FitOptions? options = null)
    {
        var groups = points.GroupBy(p => p.Dataset).ToList();
        if (groups.Count < 2)
            throw new LawFitException(FitFailure.TooFewPoints, $"the joint law needs runs on at least two datasets (got {groups.Count}).");
        foreach (var g in groups)
            if (g.Select(p => p.Quality).Distinct().Count() != 1)
                throw new LawFitException(FitFailure.InvalidInput, $"dataset '{g.Key}' has more than one quality value (tokens/ApEn): one per dataset.");

        var data = FitData.FromRows(points.Select(p => new double[] { p.Layers, p.Dim, p.Quality }).ToList(), points.Select(p => p.Value).ToList());
        var joint = LawFitter.Fit(JointPerformanceLawModel.Instance, data, options);
        var parameters = joint.Values;
        double w5 = parameters[4], c = parameters[5], b = parameters[6];

        var perDataset = new List<DatasetDataParameter>();
        foreach (var g in groups)
        {
            var quality = g.First().Quality;
            var model = new FixedParametersModel(PerformanceLawModel.Instance, new Dictionary<string, double> { ["w5"] = w5, ["b"] = b });
            // One start, on the joint law's branch: φ(D; w5) takes each value twice around its peak, and the fit must not jump.
            var starts = new[] { new[] { parameters[0], parameters[1], parameters[2], parameters[3], c * quality } };
            var own = LawFitter.Fit(model, PerformanceFit.ToData(g.Select(p => new PerformancePoint(p.Layers, p.Dim, p.Value)).ToList()),
                new FitOptions(Starts: starts, SkipModelStarts: true));
            perDataset.Add(new DatasetDataParameter(g.Key, quality, g.Count(), own["D"], c * quality, own.IsIdentifiable("D")));
        }
        var relation = LinearRelation.Fit(perDataset.Select(d => d.Quality).ToList(), perDataset.Select(d => d.FittedD).ToList());
        return new JointPerformanceFit(joint, perDataset, relation);
    }
}
