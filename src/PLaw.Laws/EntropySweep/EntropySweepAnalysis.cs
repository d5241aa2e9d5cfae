using System.Globalization;
using System.Text;
using PLaw.Laws.Fitting;
using PLaw.Laws.Fitting.Models;

namespace PLaw.Laws.EntropySweep;

/// <summary>
/// The controlled test of the joint performance law (<see cref="JointPerformanceLaw"/>, D_k = c·q_k): datasets that differ only
/// in a known entropy rate h_k, the same grid trained on each. The law is fitted with q_k = tokens_k / h_k and with q_k =
/// tokens_k / ĥ_k for each measured proxy ĥ, and each fit's data term is compared with the measured one (the per-dataset
/// offsets, read from the runs without any law).
/// </summary>
public static class EntropySweepAnalysis
{
    public const string TrueRate = "true rate";

    /// <summary>An offset R² at or above this counts as "the data term tracks q".</summary>
    public const double TracksR2 = 0.8;

    public static EntropySweepReport Analyze(string metric, IReadOnlyList<SweepDataset> datasets, IReadOnlyList<SweepPoint> points,
        FitOptions? options = null)
    {
        Validate(datasets, points);
        var withRuns = datasets.Where(d => points.Any(p => p.Dataset == d.Name)).ToList();
        if (withRuns.Count < 3)
            throw new LawFitException(FitFailure.TooFewPoints,
                $"the sweep needs finished runs on at least three datasets to test D = c·q (w5, c and b are fitted from the datasets' offsets); got {withRuns.Count}.");
        var offsets = MeasuredOffsets(withRuns, points);

        var sources = new List<(string Name, double[] Rates)> { (TrueRate, withRuns.Select(d => d.TrueRateBits).ToArray()) };
        foreach (var proxy in withRuns[0].Proxies.Select(p => p.Proxy))
            sources.Add((proxy, withRuns.Select(d => d.Proxies.First(p => p.Proxy == proxy).RateBits).ToArray()));

        var fits = sources.Select(s => FitWith(s.Name, withRuns, s.Rates, points, offsets, options)).ToList();
        var trueFit = fits[0];
        var rows = datasets.Select(d =>
        {
            var k = withRuns.IndexOf(d);
            return new SweepDatasetRow(d.Name, d.TrueRateBits, d.Tokens, d.Tokens / d.TrueRateBits, points.Count(p => p.Dataset == d.Name),
                k < 0 ? double.NaN : offsets[k], k < 0 ? null : trueFit.FittedD[k],
                k < 0 || trueFit.C is not { } c ? null : c * trueFit.Qualities[k]);
        }).ToList();
        var misses = sources.Skip(1).Select(s => Miss(s.Name, withRuns.Select(d => d.TrueRateBits).ToArray(), s.Rates)).ToList();
        return new EntropySweepReport(metric, rows, fits, misses, Conclude(metric, fits, misses));
    }

    private static void Validate(IReadOnlyList<SweepDataset> datasets, IReadOnlyList<SweepPoint> points)
    {
        if (datasets.Select(d => d.Name).Distinct().Count() != datasets.Count) throw new ArgumentException("Dataset names in a sweep must be distinct.");
        foreach (var d in datasets)
        {
            if (!(d.TrueRateBits > 0) || !double.IsFinite(d.TrueRateBits))
                throw new ArgumentException($"Dataset '{d.Name}': the true entropy rate must be positive, got {d.TrueRateBits}.");
            if (d.Tokens <= 0) throw new ArgumentException($"Dataset '{d.Name}': tokens must be positive, got {d.Tokens}.");
            if (!d.Proxies.Select(p => p.Proxy).Order().SequenceEqual(datasets[0].Proxies.Select(p => p.Proxy).Order()))
                throw new ArgumentException($"Dataset '{d.Name}' has other proxies than '{datasets[0].Name}': every dataset needs the same ones.");
        }
        foreach (var p in points)
        {
            if (datasets.All(d => d.Name != p.Dataset)) throw new ArgumentException($"A run names dataset '{p.Dataset}', which is not in the sweep.");
            if (!double.IsFinite(p.Value)) throw new ArgumentException($"Run {p.Layers}×{p.Dim} on '{p.Dataset}' has a non-finite metric.");
        }
    }

    /// <summary>
    /// The measured data term of each dataset, law-free: for every (layers, dim) trained on all datasets, the dataset's value
    /// (mean over seeds) minus the mean over datasets, averaged over those configurations. With shared depth and width terms
    /// this is exactly the per-dataset offset o_k − mean(o).
    /// </summary>
    public static double[] MeasuredOffsets(IReadOnlyList<SweepDataset> datasets, IReadOnlyList<SweepPoint> points)
    {
        var cells = points.GroupBy(p => (p.Dataset, p.Layers, p.Dim)).ToDictionary(g => g.Key, g => g.Average(p => p.Value));
        var configurations = points.Select(p => (p.Layers, p.Dim)).Distinct()
            .Where(c => datasets.All(d => cells.ContainsKey((d.Name, c.Layers, c.Dim)))).ToList();
        var offsets = new double[datasets.Count];
        if (configurations.Count == 0)
        {
            Array.Fill(offsets, double.NaN);
            return offsets;
        }
        foreach (var (layers, dim) in configurations)
        {
            var mean = datasets.Average(d => cells[(d.Name, layers, dim)]);
            for (var k = 0; k < datasets.Count; k++) offsets[k] += (cells[(datasets[k].Name, layers, dim)] - mean) / configurations.Count;
        }
        return offsets;
    }

    private static QualityFit FitWith(string source, IReadOnlyList<SweepDataset> datasets, double[] rates, IReadOnlyList<SweepPoint> points,
        double[] offsets, FitOptions? options)
    {
        var qualities = datasets.Select((d, k) => d.Tokens / rates[k]).ToArray();
        var empty = Enumerable.Repeat<double?>(null, datasets.Count).ToList();
        var bad = Array.FindIndex(rates, r => !(r > 0) || !double.IsFinite(r));
        if (bad >= 0)
            return new QualityFit(source, qualities, null, null, null, null, null, null, empty, null, null, null, [],
                $"{source} estimated a rate of {rates[bad]:G3} bits on '{datasets[bad].Name}': q = tokens / rate needs a positive rate.");
        var quality = datasets.Select((d, k) => (d.Name, Q: qualities[k])).ToDictionary(x => x.Name, x => x.Q);
        var rows = points.Where(p => quality.ContainsKey(p.Dataset)).ToList();
        var offsetVersusLogQ = Pearson(qualities.Select(q => Math.Log(q)).ToArray(), offsets);
        try
        {
            var joint = LawFitter.Fit(JointPerformanceLawModel.Instance,
                FitData.FromRows(rows.Select(p => new double[] { p.Layers, p.Dim, quality[p.Dataset] }).ToList(), rows.Select(p => p.Value).ToList()),
                options);
            var v = joint.Values;
            double w5 = v[4], c = v[5], b = v[6];
            var lawOffsets = qualities.Select(q => PerformanceLaw.Term(c * q, w5) + b).ToArray();
            var fittedD = datasets.Select((d, k) => FitD(rows.Where(p => p.Dataset == d.Name).ToList(), v, c * qualities[k])).ToList();
            var finite = fittedD.Select((f, k) => (f, k)).Where(x => x.f is { } value && double.IsFinite(value) && value > 0).ToList();
            double? dR2 = null, logSlope = null;
            if (finite.Count >= 2)
            {
                var qs = finite.Select(x => qualities[x.k]).ToList();
                var ds = finite.Select(x => x.f!.Value).ToList();
                if (qs.Distinct().Count() >= 2)
                {
                    dR2 = LinearRelation.Fit(qs, ds).R2;
                    logSlope = LinearRelation.Fit(qs.Select(q => Math.Log(q)).ToList(), ds.Select(d => Math.Log(d)).ToList()).Slope;
                }
            }
            return new QualityFit(source, qualities, c, w5, b, joint.Rmse, joint.R2, CentredR2(offsets, lawOffsets), fittedD, dR2, logSlope,
                offsetVersusLogQ, DataTermWarnings(joint), null);
        }
        catch (LawFitException e)
        {
            return new QualityFit(source, qualities, null, null, null, null, null, null, empty, null, null, offsetVersusLogQ, [], e.Message);
        }
    }

    /// <summary>
    /// What makes the data term unusable: warnings on, or non-identifiability of, w5 or c. (A small grid leaves w1/w3, w2/w4 and b
    /// trading off — two layer counts give one number for two parameters — which does not touch the shape of the data term.)
    /// </summary>
    private static List<string> DataTermWarnings(LawFit joint)
    {
        string[] dataTerm = ["w5", "c"];
        return joint.Warnings.Where(w => dataTerm.Contains(w.Parameter)).Select(w => $"{w.Parameter}: {w.Text}")
            .Concat(joint.NotIdentifiable.Where(dataTerm.Contains).Select(n => $"{n}: not identifiable from these runs"))
            .ToList();
    }

    /// <summary>
    /// D of one dataset with w1…w5 and b held at the joint fit (one free parameter, so a 2 × 2 grid suffices), started at c·q_k:
    /// φ(D; w5) takes each value twice around its peak, and the start keeps the joint law's branch.
    /// </summary>
    private static double? FitD(List<SweepPoint> points, double[] joint, double start)
    {
        if (points.Count == 0) return null;
        var model = new FixedParametersModel(PerformanceLawModel.Instance, new Dictionary<string, double>
        {
            ["w1"] = joint[0], ["w2"] = joint[1], ["w3"] = joint[2], ["w4"] = joint[3], ["w5"] = joint[4], ["b"] = joint[6],
        });
        try
        {
            var fit = LawFitter.Fit(model, PerformanceFit.ToData(points.Select(p => new PerformancePoint(p.Layers, p.Dim, p.Value)).ToList()),
                new FitOptions(Starts: [[start]], SkipModelStarts: true));
            return fit["D"];
        }
        catch (LawFitException)
        {
            return null;
        }
    }

    /// <summary>1 − Σ(o − ô)² / Σ o², both centred (the offsets are only defined up to a constant).</summary>
    internal static double CentredR2(double[] measured, double[] law)
    {
        if (measured.Any(double.IsNaN)) return double.NaN;
        double mm = measured.Average(), ml = law.Average(), sse = 0, sst = 0;
        for (var k = 0; k < measured.Length; k++)
        {
            var r = measured[k] - mm - (law[k] - ml);
            sse += r * r;
            sst += (measured[k] - mm) * (measured[k] - mm);
        }
        return sst > 0 ? 1 - sse / sst : double.NaN;
    }

    internal static ProxyMiss Miss(string proxy, double[] truth, double[] estimates)
    {
        var relative = estimates.Select((e, k) => (e - truth[k]) / truth[k]).ToArray();
        // The scale a minimising Σ((a·ĥ − h)/h)²: a = Σ(ĥ/h) / Σ(ĥ/h)².
        double num = 0, den = 0;
        for (var k = 0; k < truth.Length; k++)
        {
            var ratio = estimates[k] / truth[k];
            num += ratio;
            den += ratio * ratio;
        }
        var scale = den > 0 ? num / den : double.NaN;
        var scaled = estimates.Select((e, k) => Math.Abs((scale * e - truth[k]) / truth[k])).Average();
        return new ProxyMiss(proxy, estimates, relative, relative.Average(Math.Abs), scale, scaled, Spearman(truth, estimates));
    }

    internal static double Pearson(double[] x, double[] y)
    {
        if (x.Length < 2 || x.Any(double.IsNaN) || y.Any(double.IsNaN)) return double.NaN;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    internal static double Spearman(double[] x, double[] y) => Pearson(Ranks(x), Ranks(y));

    private static double[] Ranks(double[] values)
    {
        var order = values.Select((v, i) => (v, i)).OrderBy(t => t.v).ToArray();
        var ranks = new double[values.Length];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && order[j + 1].v == order[i].v) j++;
            for (var t = i; t <= j; t++) ranks[order[t].i] = 0.5 * (i + j);
            i = j + 1;
        }
        return ranks;
    }

    private static string Conclude(string metric, IReadOnlyList<QualityFit> fits, IReadOnlyList<ProxyMiss> misses)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        var truth = fits[0];
        if (truth.Error is not null)
            text.Append(invariant, $"The joint law could not be fitted with q = tokens / true rate ({truth.Error}). ");
        else
        {
            var tracks = truth.OffsetR2 >= TracksR2;
            text.Append(invariant, $"With q = tokens / true entropy rate, the law's data term explains {Percent(truth.OffsetR2)} of how {metric} differs between the datasets");
            text.Append(tracks ? " — the data term tracks the known entropy rate" : " — it does not track the known entropy rate well");
            if (truth.OffsetVersusLogQ is { } r && double.IsFinite(r))
                text.Append(invariant, $" (measured data term vs ln q: r = {r:F2}{(r > 0 ? ", lower entropy helps" : r < 0 ? ", lower entropy hurts" : "")})");
            text.Append(". ");
            if (truth.LogSlope is { } slope)
                text.Append(invariant, $"Fitted D grows as q^{slope:F2} (D = c·q predicts q^1). ");
            // φ(D; w5) = −D^(−w5)/2 − w5·ln D: once D^(−w5) is negligible at every dataset only the log remains.
            if (truth.C is { } c && truth.W5 is { } w5 && truth.Qualities.All(q => Math.Pow(c * q, -w5) < 0.01))
                text.Append(invariant, $"The fit puts every D = c·q where φ(D) ≈ −w5·ln D: the data term is a straight line in ln q ({-w5:F3} per e-fold of q), so c itself is not determined. ");
        }
        // Ranked by how much of the data term each q explains; a degenerate fit (c or w5 not pinned down) is named as such.
        var ranked = fits.Skip(1).Where(f => f.OffsetR2 is { } v && double.IsFinite(v)).OrderByDescending(f => f.OffsetR2).ToList();
        if (ranked.Count > 0)
        {
            var best = ranked[0];
            var comparison = truth.OffsetR2 is { } t && double.IsFinite(t)
                ? best.OffsetR2 > t ? ", more than the true rate" : best.OffsetR2 < t ? ", less than the true rate" : ", as much as the true rate"
                : "";
            text.Append(invariant, $"Among the measured proxies, q from {best.Source} explains the most ({Percent(best.OffsetR2)}{comparison}). ");
        }
        var degenerate = fits.Where(f => f.Warnings.Count > 0).Select(f => f.Source).ToList();
        if (degenerate.Count > 0)
            text.Append(invariant, $"Not pinned down (c or w5 at a bound or traded off; not for prediction as is): {string.Join(", ", degenerate)}. ");
        foreach (var m in misses)
            text.Append(invariant, $"{m.Proxy} misses the true rate by {Percent(m.MeanAbsRelativeMiss)} on average ({Percent(m.MeanAbsRelativeMissAfterScale)} after one common scale; rank correlation {m.RankCorrelation:F2}). ");
        return text.ToString().TrimEnd();
    }

    private static string Percent(double? value) =>
        value is { } v && double.IsFinite(v) ? (100 * v).ToString("F0", CultureInfo.InvariantCulture) + " %" : "n/a";
}
