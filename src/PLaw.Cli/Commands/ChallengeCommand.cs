using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Engine.Challenges;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Challenges;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw challenge &lt;run&gt; [--json] [--tasks longtail,coldstart,robustness,trajectory,multidomain]</c>: the LSRM §V challenge
/// tasks for a finished run, computed from its checkpoint with the native engine (<see cref="ChallengeRunner"/>): accuracy per
/// item popularity group, new users with short inputs, noisy inputs, generated trajectories, and test cases classed by the
/// items' domains (Mix-/Single-domain inputs, Diff-/Same-domain next steps). A progress bar on standard
/// error; Ctrl+C stops it (exit 130) and nothing is printed. A report of all five tasks is stored for the run (the Run page and
/// the study view show it). <c>plaw challenge --study &lt;id|name&gt;</c>: see <see cref="StudyChallengeCommand"/>.
/// </summary>
internal static class ChallengeCommand
{
    private static readonly JsonSerializerOptions Json = new(RegistryJson.Indented) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static Command Create()
    {
        var run = new Argument<int?>("run")
        {
            Description = "Run id of a finished run (completed or stopped early); its checkpoint is scored. Not with --study.", Arity = ArgumentArity.ZeroOrOne,
        };
        var study = new Option<string?>("--study")
        {
            Description = "A study (id or name): compute the missing reports of its completed runs, then show each challenge against model size per family.",
        };
        var tasks = new Option<string>("--tasks")
        {
            Description = $"Comma-separated challenge tasks: {ChallengeTaskNames.Valid}. A report of all of them is stored for the run (not with --study).",
            DefaultValueFactory = _ => ChallengeTaskNames.Valid.Replace(" ", ""),
        };
        var maxUsers = new Option<int>("--max-users")
        {
            Description = "Score at most this many test users for the long-tail, robustness and multi-domain tasks (a seeded subset; 0 = all).",
            DefaultValueFactory = _ => ChallengeRunner.DefaultMaxUsers,
        };
        var threads = new Option<int?>("--threads") { Description = $"Worker threads, 1–{RunLimits.MaxThreads} [default: the run's]." };
        var command = new Command("challenge", "Compute the LSRM challenge tasks (long tail, cold start, robustness, trajectory, multi-domain) for a finished run, " +
                                               "or for a study's runs against model size (--study).")
        {
            run, study, tasks, maxUsers, threads, CommonOptions.Json,
        };
        command.SetAction(async (result, ct) =>
        {
            var id = result.GetValue(run);
            var studyName = result.GetValue(study);
            if (id is null && studyName is null) throw new ArgumentException("give a run id, or --study <id|name> for a study's runs against size.");
            if (id is not null && studyName is not null) throw new ArgumentException("give a run id or --study <id|name>, not both.");
            ChallengeTasks asked;
            try
            {
                asked = ChallengeTaskNames.Parse(result.GetValue(tasks)!);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--tasks: {e.Message}", e);
            }
            if (studyName is not null && asked != ChallengeTasks.All)
                throw new ArgumentException("--tasks: with --study every challenge is computed (the study view compares them all); leave --tasks out.");
            var cap = result.GetValue(maxUsers);
            if (cap < 0) throw new ArgumentException($"--max-users {cap}: expected 0 (all) or more.");
            if (result.GetValue(threads) is { } t && (t < 1 || t > RunLimits.MaxThreads))
                throw new ArgumentException($"--threads {t}: expected 1–{RunLimits.MaxThreads}.");

            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var settings = new PLawOptions();
            if (result.GetValue(CommonOptions.DataDirectory) is { } dir) settings.DataDirectory = dir;
            if (studyName is not null)
                return await StudyChallengeCommand.RunAsync(services, settings, studyName, cap, result.GetValue(threads), result.GetValue(CommonOptions.Json), ct);

            var runId = id.GetValueOrDefault();
            var record = await services.GetRequiredService<RunCatalog>().FindAsync(runId, ct)
                         ?? throw new KeyNotFoundException($"Run {runId} does not exist (plaw runs lists them).");
            var challenges = services.GetRequiredService<RunChallenges>();
            // Wherever its workers kept the checkpoint: the registry (downloaded when this host has no copy), or the file its row names.
            var report = await CliProgress.RunAsync($"challenges for run {runId}", progress =>
                challenges.ComputeAsync(record, settings.RunsDirectory, asked, cap, result.GetValue(threads), new FractionOf(progress), ct));
            // A report of every task is what the study view and the Run page show: store it (replacing the run's last one).
            if (asked == ChallengeTasks.All) await services.GetRequiredService<ChallengeResults>().SaveAsync(record.Id, report, cap, ct);

            if (result.GetValue(CommonOptions.Json))
                Console.WriteLine(JsonSerializer.Serialize(new { run = runId, name = record.Name, report }, Json));
            else
                Print(runId, report);
            return 0;
        });
        return command;
    }

    internal sealed class FractionOf(IProgress<double> target) : IProgress<ChallengeStatus>
    {
        public void Report(ChallengeStatus value) => target.Report(value.Fraction);
    }

    internal static string F(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "–";

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
