using System.Text.Json.Nodes;
using PLaw.Laws;
using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;
using PLaw.Laws.Seeds;
using Spectre.Console;

namespace PLaw.Cli.Shell;

/// <summary>Terminal tables of fits and optima (standard output); the same numbers as the --json output.</summary>
internal static class LawViews
{
    public static void WritePerformance(SeededPerformanceFit seeded, IReadOnlyList<PerformancePoint> points, IReadOnlyList<int?>? seeds, SeedIntervals? intervals)
    {
        var fit = seeded.Fit;
        CliProgress.Out.MarkupLine("[bold]P-Law performance law[/]  P(n, d) = w1·(−1/(2n^w3) − w3·ln n) + w2·(−1/(2d^w4) − w4·ln d) + (−1/(2D^w5) − w5·ln D) + b");
        WriteParameters(fit.Result, intervals);
        WriteSeeds(seeded.Seeds, x => fit.Predict((int)x[0], (int)x[1]), ["layers", "dim"]);
        var residuals = new Table().Border(TableBorder.Rounded).Title("residuals");
        foreach (var h in new[] { "layers", "dim", "seed", "value", "fitted", "residual" }) residuals.AddColumn(new TableColumn(h).RightAligned());
        for (var i = 0; i < points.Count; i++)
        {
            var fitted = fit.Predict(points[i].Layers, points[i].Dim);
            residuals.AddRow(points[i].Layers.ToString(), points[i].Dim.ToString(), seeds?[i]?.ToString() ?? "—", points[i].Value.ToString("G5"),
                fitted.ToString("G5"), (points[i].Value - fitted).ToString("+0.00000;-0.00000"));
        }
        CliProgress.Out.Write(residuals);
    }

    /// <summary>How the fit treats seeds, and per configuration its n, mean, SD and standard error when some have several.</summary>
    public static void WriteSeeds(SeedData seeds, Func<double[], double> predict, IReadOnlyList<string> inputs)
    {
        CliProgress.Out.MarkupLine($"{(seeds.Weighted ? "[green]weighted[/]" : "[yellow]unweighted[/]")}: {Markup.Escape(seeds.Note)}");
        if (seeds.Replicated == 0) return;
        var table = new Table().Border(TableBorder.Rounded).Title("configurations (mean over seeds)");
        foreach (var h in inputs.Concat(["seeds", "mean", "SD", "SE (weight 1/SE²)", "fitted"])) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var c in seeds.Configurations)
            table.AddRow([.. c.Input.Select(x => x.ToString("G6")), c.N.ToString(), c.Mean.ToString("G5"), c.N >= 2 ? c.Sd.ToString("G3") : "—",
                seeds.Weighted ? c.StandardError.ToString("G3") : "—", predict(c.Input).ToString("G5")]);
        CliProgress.Out.Write(table);
    }

    public static void WriteJoint(JointPerformanceFit fit)
    {
        CliProgress.Out.MarkupLine("[bold]P-Law performance law, joint across datasets[/]  D_k = c · tokens_k/ApEn_k; w1…w5, c, b shared");
        WriteParameters(fit.Result);
        var table = new Table().Border(TableBorder.Rounded).Title("data parameter per dataset (w5, b at the joint values)");
        foreach (var h in new[] { "dataset", "tokens/ApEn", "runs", "D fitted alone", "c·q (joint)" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var d in fit.Datasets)
            table.AddRow(Markup.Escape(d.Dataset), d.Quality.ToString("N0"), d.Points.ToString(),
                d.FittedDIdentifiable ? d.FittedD.ToString("G4") : "not identifiable", d.JointD.ToString("G4"));
        CliProgress.Out.Write(table);
        var line = fit.DVersusQuality;
        CliProgress.Out.MarkupLine($"D fitted alone ≈ {line.Intercept:G4} + {line.Slope:G4}·(tokens/ApEn), R² = {line.R2:F3}");
    }

    public static void WriteScaling(LawFit fit, IReadOnlyList<(double Params, double Loss)> predictions, JsonObject json, SeedData seeds)
    {
        CliProgress.Out.MarkupLine("[bold]LSRM loss law[/]  L(N) = E + (N0/N)^alpha");
        WriteParameters(fit, json["intervals"] as JsonObject);
        WriteSeeds(seeds, x => fit.Predict(x), ["params"]);
        foreach (var (n, loss) in predictions) CliProgress.Out.MarkupLine($"predicted loss at N = {n:N0}: {loss:G6}");
        foreach (var law in new[] { "kaplan", "chinchilla" })
        {
            if (json[law] is not JsonObject data) continue;
            if (data["error"] is { } error) { CliProgress.Out.MarkupLine($"[yellow]{law}: {Markup.Escape(error.ToString())}[/]"); continue; }
            var values = string.Join(", ", data.Where(p => p.Value is JsonValue && p.Key is not ("law" or "r2" or "sse" or "rmse" or "points" or "converged" or "degenerate"))
                .Select(p => $"{p.Key} = {p.Value}"));
            CliProgress.Out.MarkupLine($"{law}: {Markup.Escape(values)}; R² {data["r2"]}");
        }
    }

    public static void WriteParameters(LawFit fit, SeedIntervals? intervals = null) =>
        WriteParameters(fit, intervals is null ? null : name => intervals[name] is { Identifiable: true } p ? (p.Low, p.High) : null,
            intervals is null ? null : $"{intervals.Level:P0} interval (bootstrap over {(intervals.OverSeeds ? "seeds" : "runs")})");

    private static void WriteParameters(LawFit fit, JsonObject? intervals) =>
        WriteParameters(fit, intervals is null ? null : name => intervals[name] is JsonObject p && p["low"] is { } low && p["high"] is { } high
            ? (low.GetValue<double>(), high.GetValue<double>()) : null, "95 % interval (bootstrap)");

    private static void WriteParameters(LawFit fit, Func<string, (double Low, double High)?>? interval, string? intervalHeader)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in new[] { "parameter", "value", "std. error" }.Concat(interval is null ? [] : [intervalHeader!])) table.AddColumn(new TableColumn(h).RightAligned());
        for (var j = 0; j < fit.Values.Length; j++)
        {
            var name = fit.Names[j];
            var group = fit.Identifiability.Tradeoffs.FirstOrDefault(g => g.Contains(name));
            var cells = new List<string>
            {
                name, group is null ? fit.Values[j].ToString("G6") : $"({fit.Values[j]:G4})",
                group is null ? fit.StandardErrors[j]?.ToString("G3") ?? "—" : $"not identifiable: trades off with {string.Join(", ", group.Where(n => n != name))}",
            };
            if (interval is not null) cells.Add(group is null && interval(name) is { } i ? Markup.Escape($"[{i.Low:G4}, {i.High:G4}]") : "—");
            table.AddRow(cells.ToArray());
        }
        CliProgress.Out.Write(table);
        CliProgress.Out.MarkupLine($"R² {fit.R2:F4}   SSE {fit.Sse:G4}   RMSE {fit.Rmse:G4}   points {fit.Data.Count}   parameters {fit.Values.Length} (identified directions {fit.Identifiability.Rank})");
        if (fit.NotIdentifiable.Count > 0)
            CliProgress.Out.MarkupLine("[yellow]Values in parentheses are not determined by these points: only a combination of each group is; predictions are unaffected.[/]");
        foreach (var (a, b, r) in fit.StrongCorrelations())
            CliProgress.Out.MarkupLine($"[yellow]{a} and {b} correlate at r = {r:F4}: each is pinned down only given the other.[/]");
        if (!fit.Converged) CliProgress.Out.MarkupLine("[yellow]The best descent stopped at its iteration limit; treat the fit with care.[/]");
        if (fit.Warnings.Count > 0)
            CliProgress.Out.MarkupLine("[yellow]This fit is degenerate; do not use its predictions without more runs:[/]");
        foreach (var warning in fit.Warnings)
            CliProgress.Out.MarkupLine($"[yellow]  {Markup.Escape(warning.Text)}[/]");
    }

    public static void WriteOptima(IReadOnlyList<Candidate> candidates, OptimumConstraint constraint, MeasuredBox? box)
    {
        CliProgress.Out.MarkupLine($"[bold]best configurations[/], constraint: {Markup.Escape(constraint.Describe())}" +
                                   (box is null ? "" : $", measured range {Markup.Escape(box.Describe())} first"));
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in new[] { "rank", "layers", "dim", "predicted", "range" }) table.AddColumn(new TableColumn(h).RightAligned());
        for (var i = 0; i < candidates.Count; i++)
            table.AddRow((i + 1).ToString(), candidates[i].Layers.ToString(), candidates[i].Dim.ToString(), candidates[i].Value.ToString("G6"),
                box is null ? "—" : box.Contains(candidates[i].Layers, candidates[i].Dim) ? "measured" : "[yellow]extrapolated[/]");
        CliProgress.Out.Write(table);
    }
}
