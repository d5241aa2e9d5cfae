using System.Diagnostics;
using System.Text.Json;
using PLaw.Data.Sequences;
using PLaw.Engine.Kernels;

namespace PLaw.Engine.Training;

/// <summary>
/// Runs a training job as a plain loop: for each epoch, every batch → one optimiser step (a
/// <see cref="StepCompleted"/> each); at the end of the epoch, the mean loss, evaluation every
/// <see cref="RunOptions.EvalEvery"/> epochs (validation and test), the LSRM switch to SGD, a checkpoint.
/// Cancellation finishes the current step, saves a checkpoint when a path is set, then throws.
/// The session comes from <see cref="TrainingBackends.Open"/>: the native <see cref="TrainingSession"/>, or another
/// backend's <see cref="ITrainingSession"/> (<see cref="RunOptions.Backend"/>, <see cref="RunOptions.Device"/>).
/// </summary>
public sealed class Trainer
{
    public static Task<RunResult> RunAsync(RunOptions options, SequenceSet data, TrainerContext context,
        IProgress<TrainingEvent>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var problems = options.Validate(data.ItemCount);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        if (options.Task == RunTask.Ranking) Ranking.RankingRules.CheckData(data);
        return Task.Factory.StartNew(() => Run(options, data, context, progress, ct), ct,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public static RunResult Run(RunOptions options, SequenceSet data, TrainerContext context, IProgress<TrainingEvent>? progress,
        CancellationToken ct)
    {
        using var session = TrainingBackends.Open(options, data);
        progress?.Report(new SessionOpened(session.Backend, session.Device, session.Compute));
        var history = new List<EpochSummary>();
        var clock = Stopwatch.StartNew();
        var elapsedBefore = 0.0;
        var epochSecondsBefore = 0.0;
        progress?.Report(new Message($"Backend {session.Backend} on {session.Device}; {session.Compute}; " +
                                     $"{session.Counts.Total:N0} parameters ({session.Counts.Embedding:N0} embedding); " +
                                     $"{session.TrainUserCount:N0} training users, {session.StepsPerEpoch} steps per epoch."));
        if (context.Resume && context.CheckpointPath is { } resumePath && File.Exists(resumePath))
        {
            var checkpoint = Checkpoint.Load(resumePath);
            session.Restore(checkpoint);
            history.AddRange(checkpoint.History);
            elapsedBefore = checkpoint.ElapsedSeconds;
            epochSecondsBefore = checkpoint.EpochSeconds;
            if (checkpoint.OptionsJson != JsonSerializer.Serialize(options))
                progress?.Report(new Message("Resuming with options that differ from the checkpoint's; numbers will not match an uninterrupted run."));
            progress?.Report(new Message($"Resumed from {resumePath} at epoch {session.Epoch}, step {session.Step}."));
        }
        TimeSpan Elapsed() => TimeSpan.FromSeconds(elapsedBefore) + clock.Elapsed;

        var finalMetrics = (IReadOnlyDictionary<string, double>)new Dictionary<string, double>();
        if (history.Count > 0 && history[^1].TestMetrics.Count > 0) finalMetrics = history[^1].TestMetrics;
        while (session.Epoch <= options.Epochs)
        {
            if (session.StepInEpoch == 0 && options.SwitchToSgdEpoch == session.Epoch && session.OptimizerKind != OptimizerKind.Sgd)
            {
                session.SwitchToSgd();
                progress?.Report(new Message($"Epoch {session.Epoch}: switching {options.Optimizer} → SGD (momentum {options.Momentum}, lr {options.SgdLearningRate})."));
            }
            var epochClock = Stopwatch.StartNew();
            while (!session.EpochDone)
            {
                var loss = session.TrainStep();
                if (!double.IsFinite(loss))
                    throw new InvalidOperationException($"Training diverged: loss {loss} at epoch {session.Epoch}, step {session.Step}.");
                progress?.Report(new StepCompleted(session.Epoch, session.Step, loss, session.LastLearningRate, Elapsed()));
                if (ct.IsCancellationRequested)
                {
                    if (context.CheckpointPath is { } path)
                    {
                        session.ToCheckpoint(history, epochSecondsBefore + epochClock.Elapsed.TotalSeconds, Elapsed().TotalSeconds).Save(path);
                        progress?.Report(new CheckpointSaved(session.Epoch, session.Step, path));
                    }
                    ct.ThrowIfCancellationRequested();
                }
            }
            var seconds = epochSecondsBefore + epochClock.Elapsed.TotalSeconds;
            epochSecondsBefore = 0;
            var meanLoss = session.EpochLossSum / Math.Max(session.EpochLossCount, 1);
            progress?.Report(new EpochCompleted(session.Epoch, session.Step, meanLoss, seconds));

            IReadOnlyDictionary<string, double> valid = new Dictionary<string, double>(), test = valid;
            if (session.Epoch % options.EvalEvery == 0 || session.Epoch == options.Epochs)
            {
                valid = session.Evaluate(test: false);
                progress?.Report(new EvaluationCompleted(session.Epoch, session.Step, "valid", valid, Elapsed()));
                test = session.Evaluate(test: true);
                progress?.Report(new EvaluationCompleted(session.Epoch, session.Step, "test", test, Elapsed()));
                finalMetrics = test;
                TrackPlateau(session, options, valid, progress);
            }
            history.Add(new EpochSummary(session.Epoch, session.Step, meanLoss, seconds, valid, test));
            var finished = session.Epoch == options.Epochs;
            session.NextEpoch();
            if (context.CheckpointPath is { } checkpointPath &&
                (finished || (session.Epoch - 1) % Math.Max(context.CheckpointEveryEpochs, 1) == 0))
            {
                session.ToCheckpoint(history, 0, Elapsed().TotalSeconds).Save(checkpointPath);
                progress?.Report(new CheckpointSaved(session.Epoch - 1, session.Step, checkpointPath));
            }
            ct.ThrowIfCancellationRequested();
        }
        return new RunResult(session.Counts, finalMetrics, history, session.Backend == TrainingBackends.Native ? Gemm.BackendName : session.Backend,
            Elapsed(), session.Backend, session.Device);
    }

    private static void TrackPlateau(ITrainingSession session, RunOptions options, IReadOnlyDictionary<string, double> valid,
        IProgress<TrainingEvent>? progress)
    {
        if (!options.SwitchToSgdOnPlateau || session.OptimizerKind == OptimizerKind.Sgd) return;
        var ndcg = valid.GetValueOrDefault(options.Task == RunTask.Ranking ? "AUC" : "NDCG@10");
        if (ndcg > session.BestValid)
        {
            session.BestValid = ndcg;
            session.EvalsSinceBest = 0;
            return;
        }
        if (++session.EvalsSinceBest < options.PlateauPatience) return;
        session.SwitchToSgd();
        progress?.Report(new Message($"Epoch {session.Epoch}: validation NDCG@10 has not improved for {session.EvalsSinceBest} evaluations; " +
                                     $"switching {options.Optimizer} → SGD."));
    }
}
