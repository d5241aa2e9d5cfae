using System.Text.Json;
using PLaw.Engine.Challenges;
using PLaw.Engine.Training;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;

namespace PLaw.Registry.Challenges;

/// <summary>
/// Computes a finished run's challenge report from its checkpoint (wherever its workers kept it) and the run's dataset, for
/// <c>plaw challenge</c>, the Run page's panel and the study view. A run that cannot be scored is an
/// <see cref="InvalidOperationException"/> (or <see cref="KeyNotFoundException"/> when its dataset is gone) naming the run and why.
/// </summary>
public sealed class RunChallenges(DatasetCatalog datasets, CheckpointLocator checkpoints, ChallengeResults results)
{
    /// <summary>The report of the asked <paramref name="tasks"/>; nothing is stored.</summary>
    public async Task<ChallengeReport> ComputeAsync(RunRecord run, string runsDirectory, ChallengeTasks tasks, int maxUsers, int? threads = null,
        IProgress<ChallengeStatus>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxUsers);
        if (run.Status is not (RunStatus.Completed or RunStatus.StoppedEarly))
            throw new InvalidOperationException($"Run {run.Id} is {run.Status.Label()}: the challenges are computed for a finished run " +
                                                "(completed or stopped early); wait for it (plaw watch) or train it (plaw worker).");
        LocatedCheckpoint located;
        try
        {
            located = await checkpoints.LocateAsync(run, runsDirectory, ct);
        }
        catch (FileNotFoundException)
        {
            throw new InvalidOperationException($"Run {run.Id} ({run.Status.Label()}) has no checkpoint at " +
                                                $"{run.CheckpointPath ?? Path.Combine(runsDirectory, $"run-{run.Id}", "checkpoint.bin")} " +
                                                "nor in the registry; the challenges score its weights.");
        }
        using var downloaded = located;
        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Load(located.Path);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException)
        {
            throw new InvalidOperationException($"Run {run.Id}'s checkpoint {located.Path} cannot be read: {e.Message}");
        }
        if (await datasets.FindAsync(run.DatasetId, ct) is null)
            throw new KeyNotFoundException($"Run {run.Id}'s dataset ({run.DatasetId}) is no longer in the registry; its sequences are needed.");
        var data = await datasets.LoadSequencesAsync(run.DatasetId, ct);
        ChallengeScorer scorer;
        try
        {
            scorer = ChallengeScorer.FromCheckpoint(checkpoint, data, threads);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or JsonException)
        {
            throw new InvalidOperationException($"Run {run.Id}'s checkpoint {located.Path} cannot be scored: {e.Message}");
        }
        using (scorer)
            return await Task.Run(() => ChallengeRunner.Run(scorer, tasks, progress, ct, maxUsers), ct);
    }

    /// <summary>All five challenges, stored for the run (replacing its stored report) once computed; cancelled, nothing is stored.</summary>
    public async Task<StoredChallengeReport> ComputeAndSaveAsync(RunRecord run, string runsDirectory, int maxUsers = ChallengeRunner.DefaultMaxUsers,
        int? threads = null, IProgress<ChallengeStatus>? progress = null, CancellationToken ct = default)
    {
        var report = await ComputeAsync(run, runsDirectory, ChallengeTasks.All, maxUsers, threads, progress, ct);
        return await results.SaveAsync(run.Id, report, maxUsers, ct);
    }
}
