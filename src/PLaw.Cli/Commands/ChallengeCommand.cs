using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Engine.Challenges;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw challenge &lt;run&gt; [--json] [--tasks longtail,coldstart,robustness,trajectory,multidomain]</c>: the LSRM §V challenge
/// tasks for a finished run, computed from its checkpoint with the native engine (<see cref="ChallengeRunner"/>): accuracy per
/// item popularity group, new users with short inputs, noisy inputs, generated trajectories, and test cases classed by the
/// items' domains (Mix-/Single-domain inputs, Diff-/Same-domain next steps). A progress bar on standard
/// error; Ctrl+C stops it (exit 130) and nothing is printed.
/// </summary>
internal static class ChallengeCommand
{
    private static readonly JsonSerializerOptions Json = new(RegistryJson.Indented) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static Command Create()
    {
        var run = new Argument<int>("run") { Description = "Run id of a finished run (completed or stopped early); its checkpoint is scored." };
        var tasks = new Option<string>("--tasks")
        {
            Description = $"Comma-separated challenge tasks: {ChallengeTaskNames.Valid}.", DefaultValueFactory = _ => ChallengeTaskNames.Valid.Replace(" ", ""),
        };
        var maxUsers = new Option<int>("--max-users")
        {
            Description = "Score at most this many test users for the long-tail, robustness and multi-domain tasks (a seeded subset; 0 = all).",
            DefaultValueFactory = _ => ChallengeRunner.DefaultMaxUsers,
        };
        var threads = new Option<int?>("--threads") { Description = $"Worker threads, 1–{RunLimits.MaxThreads} [default: the run's]." };
        var command = new Command("challenge", "Compute the LSRM challenge tasks (long tail, cold start, robustness, trajectory, multi-domain) for a finished run.")
        {
            run, tasks, maxUsers, threads, CommonOptions.Json,
        };
        command.SetAction(async (result, ct) =>
        {
            var id = result.GetValue(run);
            ChallengeTasks asked;
            try
            {
                asked = ChallengeTaskNames.Parse(result.GetValue(tasks)!);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--tasks: {e.Message}", e);
            }
            var cap = result.GetValue(maxUsers);
            if (cap < 0) throw new ArgumentException($"--max-users {cap}: expected 0 (all) or more.");
            if (result.GetValue(threads) is { } t && (t < 1 || t > RunLimits.MaxThreads))
                throw new ArgumentException($"--threads {t}: expected 1–{RunLimits.MaxThreads}.");

            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var record = await services.GetRequiredService<RunCatalog>().FindAsync(id, ct)
                         ?? throw new KeyNotFoundException($"Run {id} does not exist (plaw runs lists them).");
            if (record.Status is not (RunStatus.Completed or RunStatus.StoppedEarly))
                throw new InvalidOperationException($"Run {id} is {record.Status.Label()}: the challenges are computed for a finished run " +
                                                    "(completed or stopped early); wait for it (plaw watch) or train it (plaw worker).");
            var settings = new PLawOptions();
            if (result.GetValue(CommonOptions.DataDirectory) is { } dir) settings.DataDirectory = dir;
            // Wherever its workers kept it: the registry (downloaded when this host has no copy), or the file its row names.
            LocatedCheckpoint located;
            try
            {
                located = await services.GetRequiredService<CheckpointLocator>().LocateAsync(record, settings.RunsDirectory, ct);
            }
            catch (FileNotFoundException)
            {
                throw new InvalidOperationException($"Run {id} ({record.Status.Label()}) has no checkpoint at " +
                                                    $"{record.CheckpointPath ?? Path.Combine(settings.RunsDirectory, $"run-{id}", "checkpoint.bin")} " +
                                                    "nor in the registry; the challenges score its weights.");
            }
            using var downloaded = located;
            var checkpointPath = located.Path;
            Checkpoint checkpoint;
            try
            {
                checkpoint = Checkpoint.Load(checkpointPath);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException)
            {
                throw new InvalidOperationException($"Run {id}'s checkpoint {checkpointPath} cannot be read: {e.Message}");
            }
            var datasets = services.GetRequiredService<DatasetCatalog>();
            if (await datasets.FindAsync(record.DatasetId, ct) is null)
                throw new KeyNotFoundException($"Run {id}'s dataset ({record.DatasetId}) is no longer in the registry; its sequences are needed.");
            var data = await datasets.LoadSequencesAsync(record.DatasetId, ct);

            ChallengeScorer scorer;
            try
            {
                scorer = ChallengeScorer.FromCheckpoint(checkpoint, data, result.GetValue(threads));
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or JsonException)
            {
                throw new InvalidOperationException($"Run {id}'s checkpoint {checkpointPath} cannot be scored: {e.Message}");
            }
            ChallengeReport report;
            using (scorer)
                report = await CliProgress.RunAsync($"challenges for run {id}", progress => Task.Run(() =>
                    ChallengeRunner.Run(scorer, asked, new FractionOf(progress), ct, cap), ct));

            if (result.GetValue(CommonOptions.Json))
                Console.WriteLine(JsonSerializer.Serialize(new { run = id, name = record.Name, report }, Json));
            else
                Print(id, report);
            return 0;
        });
        return command;
    }

    private sealed class FractionOf(IProgress<double> target) : IProgress<ChallengeStatus>
    {
        public void Report(ChallengeStatus value) => target.Report(value.Fraction);
    }

    private static string F(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "–";

    private static void Print(int id, ChallengeReport r)
    {
        var o = CliProgress.Out;
        o.MarkupLineInterpolated($"[bold]run {id}[/] {r.Model}: {r.Items:N0} items, {r.UsersScored:N0} of {r.ScoredUsers:N0} test users scored (full ranking)");
        if (r.LongTail is { } lt)
        {
            var table = new Table().Title("Long tail (test HR@10 / NDCG@10 by the target's popularity group, G1 = most popular)")
                .AddColumns("group", "items", "training count", "users", "HR@10", "NDCG@10");
            foreach (var g in lt.Groups)
                table.AddRow(g.Group, g.Items.ToString("N0"), $"{g.MinTrainingCount:N0}–{g.MaxTrainingCount:N0}", g.Users.ToString("N0"), F(g.HitRate10), F(g.Ndcg10));
            o.Write(table);
        }
        if (r.ColdStart is { } cs)
        {
            if (!cs.Available) o.MarkupLineInterpolated($"[bold]Cold start[/]: {cs.Reason}");
            else
            {
                var table = new Table().Title($"Cold start ({cs.NewUsers:N0} new users held out of training, last n interactions as input)")
                    .AddColumns("n", "fed", "users", "fewer than n", "HR@10", "NDCG@10", "Coverage@10");
                foreach (var l in cs.Lengths)
                    table.AddRow(l.Length.ToString(), l.FedLength.ToString(), l.Users.ToString("N0"), l.ShorterUsers.ToString("N0"), F(l.HitRate10), F(l.Ndcg10), F(l.Coverage10));
                o.Write(table);
            }
        }
        if (r.Robustness is { } rb)
        {
            var table = new Table().Title($"Robustness (clean HR@10 {F(rb.CleanHitRate10)}, NDCG@10 {F(rb.CleanNdcg10)}; drop = (clean − noisy) / clean)")
                .AddColumns("noise", "p", "HR@10", "drop", "NDCG@10", "drop");
            foreach (var p in rb.Perturbations)
                table.AddRow(p.Kind, p.P.ToString("0.0", CultureInfo.InvariantCulture), F(p.HitRate10), F(p.HitRateDrop), F(p.Ndcg10), F(p.NdcgDrop));
            o.Write(table);
        }
        if (r.Trajectory is { } tr)
        {
            o.MarkupLineInterpolated($"[bold]Trajectory[/] (k = {tr.K}, {tr.Users:N0} {tr.Population}): TR@{tr.K} {F(tr.TR)}");
            o.MarkupLineInterpolated($"  in the true next {tr.K}, by position: {string.Join("  ", tr.PositionHitRate.Select(v => F(v)))}");
            o.MarkupLineInterpolated($"  at the same position:      {string.Join("  ", tr.ExactPositionHitRate.Select(v => F(v)))}");
        }
        if (r.MultiDomain is { } md)
        {
            if (!md.Available) o.MarkupLineInterpolated($"[bold]Multi-domain[/]: {md.Reason}");
            else
            {
                var table = new Table().Title(Markup.Escape($"Multi-domain ({md.Domains.Count} domains: {string.Join(", ", md.Domains)}; test HR@10 / NDCG@10 per class of test case)"))
                    .AddColumns("class", "test case", "users", "HR@10", "NDCG@10");
                foreach (var c in md.Classes)
                    table.AddRow(Markup.Escape(c.Class), Markup.Escape(c.Definition), c.Users.ToString("N0"), F(c.HitRate10), F(c.Ndcg10));
                o.Write(table);
                o.MarkupLineInterpolated($"  {md.Reading}");
            }
        }
    }
}
