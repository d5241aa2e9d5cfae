using System.Collections.Concurrent;
using PLaw.Data.Sequences;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;

namespace PLaw.Web.Runs;

/// <summary>
/// Where a run is, in steps: the epoch it is training and the fraction of all its steps done, so the header and the
/// progress bar move within an epoch (a run's row only counts finished epochs).
/// </summary>
public sealed record RunProgress(int Epoch, double Fraction, long? TotalSteps)
{
    /// <param name="stepsPerEpoch">Optimiser steps per epoch (null when unknown: progress then moves by whole epochs).</param>
    public static RunProgress Of(RunRecord run, long? stepsPerEpoch)
    {
        var epochs = Math.Max(run.Epochs, 1);
        if (run.Status == RunStatus.Completed) return new(run.Epochs, 1, stepsPerEpoch * run.Epochs);
        if (stepsPerEpoch is { } spe && spe > 0)
        {
            var total = spe * epochs;
            // Step s (1-based) belongs to epoch ceil(s / spe): after the last step of epoch 1 (while it is evaluated) it is still 1.
            var epoch = run.StepsDone == 0
                ? (run.Status == RunStatus.Running ? 1 : 0)
                : (int)Math.Clamp((run.StepsDone + spe - 1) / spe, 1, epochs);
            return new(epoch, Math.Clamp((double)run.StepsDone / total, 0, 1), total);
        }
        var started = run.StepsDone > 0 || run.Status == RunStatus.Running;
        return new(started ? Math.Clamp(run.EpochsDone + 1, 1, epochs) : 0, Math.Clamp((double)run.EpochsDone / epochs, 0, 1), null);
    }

    private static readonly ConcurrentDictionary<string, int> TrainUsersByChecksum = new();

    /// <summary>
    /// Steps per epoch of a run on <paramref name="dataset"/>: its training users (those with at least two training items,
    /// as <c>TrainingSession</c> picks them) in batches of <paramref name="batchSize"/>. The count is kept per dataset checksum.
    /// </summary>
    public static async Task<long?> StepsPerEpochAsync(DatasetCatalog datasets, DatasetRecord? dataset, int batchSize,
        CancellationToken ct = default)
    {
        if (dataset is null || batchSize < 1) return null;
        if (!TrainUsersByChecksum.TryGetValue(dataset.Checksum, out var users))
        {
            var data = await datasets.LoadSequencesAsync(dataset.Id, ct);
            var split = new LeaveOneOutSplit(data);
            users = 0;
            for (var u = 0; u < data.UserCount; u++)
                if (split.Train(u).Length >= 2) users++;
            TrainUsersByChecksum[dataset.Checksum] = users;
        }
        return users == 0 ? null : (users + batchSize - 1) / batchSize;
    }
}
