using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Challenges.Study;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;

namespace PLaw.Registry.Challenges;

/// <summary>
/// A study's completed runs and their stored challenge reports: which are there (computed after the run finished, with the
/// asked user cap), which are missing, and the view against size built from those that are there.
/// </summary>
public sealed record StudyChallengeState(StudyRecord Study, IReadOnlyList<RunRecord> Completed, int NotCompleted,
    IReadOnlyDictionary<int, StoredChallengeReport> Reports, IReadOnlyList<RunRecord> Missing, StudyChallengeView View);

/// <summary>Reads a study's challenge state (<see cref="StudyChallengeState"/>). Only completed runs count: a run stopped early
/// (ASHA) was stopped for falling behind at a rung, so its size would be judged by an unfinished model.</summary>
public sealed class StudyChallengeCatalog(IDbContextFactory<RegistryDbContext> factory, RunCatalog catalog, ChallengeResults results)
{
    /// <summary>A study by id (digits) or else by name; null when there is none.</summary>
    public async Task<StudyRecord?> FindStudyAsync(string idOrName, CancellationToken ct = default) =>
        int.TryParse(idOrName, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? await catalog.FindStudyAsync(id, ct) ?? await catalog.FindStudyAsync(idOrName, ct)
            : await catalog.FindStudyAsync(idOrName, ct);

    public async Task<StudyChallengeState> LoadAsync(StudyRecord study, int maxUsers, CancellationToken ct = default)
    {
        List<RunRecord> runs;
        await using (var db = await factory.CreateDbContextAsync(ct))
            runs = await db.Runs.AsNoTracking().Where(r => r.StudyId == study.Id).OrderBy(r => r.Id).ToListAsync(ct);
        var completed = runs.Where(r => r.Status == RunStatus.Completed).ToList();
        var stored = (await results.ListForStudyAsync(study.Id, ct)).ToDictionary(r => r.RunId);
        var present = new Dictionary<int, StoredChallengeReport>();
        var missing = new List<RunRecord>();
        foreach (var run in completed)
            if (stored.TryGetValue(run.Id, out var report) && report.IsCurrentFor(run.FinishedUtc) && report.Covers(maxUsers)) present[run.Id] = report;
            else missing.Add(run);
        var view = StudyChallengeView.Of(completed.Where(r => present.ContainsKey(r.Id)).Select(r => Sized(r, present[r.Id])));
        return new StudyChallengeState(study, completed, runs.Count - completed.Count, present, missing, view);
    }

    private static SizedReport Sized(RunRecord run, StoredChallengeReport stored) =>
        new(run.Id, run.Name, Family(run), run.NonEmbeddingParameters, run.Layers, run.Dim, stored.Report);

    /// <summary>The run's family as the papers spell it, with its variant when it is not the family's default and the HSTU
    /// components it switched off: "HSTU (no rab, no gate)" is its own series, not more seeds of "HSTU".</summary>
    public static string Family(RunRecord run)
    {
        var options = RunJson.Options(run);
        string[] variant = options.ResolvedVariant == Engine.Training.Variants.Default(options.Model) ? [] : [options.ResolvedVariant];
        var ablated = (options.Ablate ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(a => "no " + a);
        var qualifiers = variant.Concat(ablated).ToList();
        return SizedReport.FamilyName(options.Model) + (qualifiers.Count == 0 ? "" : $" ({string.Join(", ", qualifiers)})");
    }
}
