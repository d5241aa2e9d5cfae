using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Engine.Challenges;
using PLaw.Engine.Challenges.Study;
using PLaw.Registry;
using PLaw.Registry.Challenges;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw challenge --study &lt;id|name&gt; [--json] [--max-users N]</c>: does size pay off here? Computes the challenge reports
/// its completed runs lack (stored one run at a time, so Ctrl+C keeps the finished ones and half of none), then prints each
/// challenge per run by family and size (<see cref="ChallengeMeasure"/>) and the plain-language summary (<see cref="StudySummary"/>).
/// </summary>
internal static class StudyChallengeCommand
{
    private static readonly JsonSerializerOptions Json = new(RegistryJson.Indented) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>Per challenge, the metrics its table shows (one column per setting of each).</summary>
    private static readonly (string Challenge, string Title, string[] Metrics)[] Tables =
    [
        (ChallengeMeasure.LongTail, "Long tail: test accuracy by the target's popularity group (G1 = most popular)", [ChallengeMeasure.Ndcg, ChallengeMeasure.HitRate]),
        (ChallengeMeasure.ColdStart, "Cold start: new users given their last n interactions", [ChallengeMeasure.Ndcg, ChallengeMeasure.Coverage]),
        (ChallengeMeasure.Robustness, "Robustness: relative NDCG@10 drop under noisy inputs (smaller is better)", [ChallengeMeasure.NdcgDrop]),
        (ChallengeMeasure.Trajectory, "Trajectory: TR@10, and the share of generated items in the true next 10 by position", [ChallengeMeasure.TrajectoryRate, ChallengeMeasure.PositionRate]),
        (ChallengeMeasure.MultiDomain, "Multi-domain: test NDCG@10 per class of test case", [ChallengeMeasure.Ndcg]),
    ];

    public static async Task<int> RunAsync(ServiceProvider services, PLawOptions settings, string idOrName, int maxUsers, int? threads, bool json,
        CancellationToken ct)
    {
        var studies = services.GetRequiredService<StudyChallengeCatalog>();
        var study = await studies.FindStudyAsync(idOrName, ct)
                    ?? throw new KeyNotFoundException($"--study {idOrName}: there is no such study in the registry (give its id or name).");
        var state = await studies.LoadAsync(study, maxUsers, ct);
        if (state.Completed.Count == 0)
            throw new InvalidOperationException($"Study {study.Id} ({study.Name}) has no completed runs yet" +
                                                (state.NotCompleted > 0 ? $" ({state.NotCompleted} queued, running, failed, cancelled or stopped early)" : "") +
                                                ": the challenges score finished runs' checkpoints; train them first (plaw worker).");
        if (state.Missing.Count > 0)
        {
            var challenges = services.GetRequiredService<RunChallenges>();
            var missing = state.Missing;
            await CliProgress.StartAsync($"challenges for study {study.Id}: {missing.Count} of {state.Completed.Count} runs", missing.Count, async bar =>
            {
                for (var i = 0; i < missing.Count; i++)
                {
                    var done = i;
                    bar.Description = Markup.Escape($"challenges for run {missing[i].Id} ({i + 1} of {missing.Count})");
                    await challenges.ComputeAndSaveAsync(missing[i], settings.RunsDirectory, maxUsers, threads,
                        new Fraction(f => bar.Value = done + f.Fraction), ct);
                    bar.Value = i + 1;
                }
            });
            state = await studies.LoadAsync(study, maxUsers, ct);
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(Shape(state), Json));
        else Print(state);
        return 0;
    }

    private sealed class Fraction(Action<ChallengeStatus> report) : IProgress<ChallengeStatus>
    {
        public void Report(ChallengeStatus value) => report(value);
    }

    private static object Shape(StudyChallengeState state) => new
    {
        study = new { id = state.Study.Id, name = state.Study.Name },
        completedRuns = state.Completed.Count,
        notCompletedRuns = state.NotCompleted,
        runs = state.View.Runs.Select(r => new
        {
            run = r.RunId, name = r.Name, family = r.Family, size = r.Size, layers = r.Layers, dim = r.Dim,
            computedUtc = state.Reports[r.RunId].ComputedUtc, usersScored = state.Reports[r.RunId].UsersScored,
            maxUsers = state.Reports[r.RunId].MaxUsers, report = r.Report,
        }),
        series = state.View.Series.Select(s => new
        {
            challenge = s.Measure.Challenge, metric = s.Measure.Metric, setting = s.Measure.Setting, family = s.Family,
            higherIsBetter = s.Measure.HigherIsBetter, gain = s.Gain, relativeGain = s.RelativeGain,
            points = s.Points.Select(p => new { size = p.Size, layers = p.Layers, dim = p.Dim, runs = p.Runs, value = p.Value }),
        }),
        summary = state.View.Summary.Select(l => new { family = l.Family, challenge = l.Challenge, text = l.Text }),
        multiDomainMissing = state.View.MultiDomainMissing,
    };

    private static void Print(StudyChallengeState state)
    {
        var o = CliProgress.Out;
        var view = state.View;
        var left = state.NotCompleted > 0 ? $" ({state.NotCompleted} runs not completed left out)" : "";
        o.MarkupLineInterpolated($"[bold]study {state.Study.Id}[/] {state.Study.Name}: {view.Runs.Count} completed runs with challenge reports{left}");
        var measures = ChallengeMeasure.Of(view.Runs.Select(r => r.Report).ToList());
        foreach (var (challenge, title, metrics) in Tables)
        {
            var columns = measures.Where(m => m.Challenge == challenge && metrics.Contains(m.Metric))
                .OrderBy(m => Array.IndexOf(metrics, m.Metric)).ToList();
            if (columns.Count == 0) continue;
            var table = new Table().Title(Markup.Escape(title)).AddColumns("family", "params", "layers × dim", "run");
            foreach (var m in columns) table.AddColumn(new TableColumn(Markup.Escape(Header(m))).RightAligned());
            foreach (var run in view.Runs)
            {
                string[] cells = [Markup.Escape(run.Family), ParameterCount.Format(run.Size), $"{run.Layers} × {run.Dim}", run.RunId.ToString(CultureInfo.InvariantCulture),
                    .. columns.Select(m => m.HigherIsBetter ? ChallengeCommand.F(m.Read(run.Report)) : Percent(m.Read(run.Report)))];
                table.AddRow(cells);
            }
            o.Write(table);
        }
        if (view.MultiDomainMissing is { } missing) o.MarkupLineInterpolated($"Multi-domain: nothing to show against size: {missing}");
        o.MarkupLine("[bold]Does size pay off here?[/]");
        foreach (var line in view.Summary)
            o.MarkupLineInterpolated($"{(line.Challenge is null ? "- " : "    ")}{line.Text}");
    }

    private static string Header(ChallengeMeasure m) => (m.Challenge, m.Metric) switch
    {
        (ChallengeMeasure.ColdStart, _) => $"{m.Metric} n={m.Setting}",
        (ChallengeMeasure.Trajectory, ChallengeMeasure.TrajectoryRate) => m.Metric,
        (ChallengeMeasure.Trajectory, _) => m.Setting.Replace("position ", "@", StringComparison.Ordinal),
        (ChallengeMeasure.Robustness, _) => m.Setting,
        _ => $"{m.Metric} {m.Setting}",
    };

    private static string Percent(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "–";
}
