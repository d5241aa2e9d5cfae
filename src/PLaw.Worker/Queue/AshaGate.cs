using PLaw.Engine.Training;
using PLaw.Laws.EarlyStopping;
using PLaw.Registry.Runs;

namespace PLaw.Worker.Queue;

/// <summary>
/// Sits between the trainer and a study run's <see cref="MetricSink"/>: at each rung's validation evaluation it ranks the run
/// against the study's other runs that have reached that rung (their validation curves in the registry) with
/// <see cref="AshaRule"/>, logs the decision, and when the run falls below the rung's cut-off records why and cancels the
/// trainer's token. The trainer then finishes the epoch (test evaluation, checkpoint) and stops; the worker marks the run
/// <see cref="RunStatus.StoppedEarly"/>.
/// </summary>
internal sealed class AshaGate(int runId, int studyId, int lastEpoch, AshaSettings settings, RunCatalog catalog, MetricStore metrics,
    IProgress<TrainingEvent> inner, CancellationTokenSource stop) : IProgress<TrainingEvent>
{
    /// <summary>The rung decision that stopped the run; null while it goes on.</summary>
    public AshaDecision? Stopped { get; private set; }

    public void Report(TrainingEvent value)
    {
        inner.Report(value);
        if (Stopped is not null || value is not EvaluationCompleted { Split: MetricSplits.Valid } evaluation ||
            Array.IndexOf(settings.Rungs, evaluation.Epoch) < 0) return;
        // The trainer's thread waits here: the decision is needed before the epoch's checkpoint, and rungs are a few per run.
        DecideAsync(evaluation).GetAwaiter().GetResult();
    }

    private async Task DecideAsync(EvaluationCompleted evaluation)
    {
        var rung = evaluation.Epoch;
        if (!evaluation.Metrics.TryGetValue(settings.Metric, out var now))
        {
            await catalog.LogAsync(runId, $"ASHA: the validation evaluation at epoch {rung} has no {settings.Metric}; the run goes on.");
            return;
        }
        var own = await CurveAsync(runId, rung);
        own.RemoveAll(p => p.Epoch == rung);
        own.Add((rung, now));
        var value = AshaSignals.Value(own, rung, lastEpoch, settings.Signal, settings.Direction);
        if (!double.IsFinite(value) && settings.Signal == AshaSignal.Forecast)
        {
            await catalog.LogAsync(runId, $"ASHA: no forecast of {settings.Metric} could be fitted at epoch {rung}; the run goes on.");
            return;
        }
        var others = new List<double>();
        foreach (var run in await catalog.ListAsync(studyId))
        {
            if (run.Id == runId) continue;
            var curve = await CurveAsync(run.Id, rung);
            var signal = AshaSignals.Value(curve, rung, run.Epochs, settings.Signal, settings.Direction);
            if (double.IsFinite(signal)) others.Add(signal);
        }
        var decision = AshaRule.Decide(rung, value, others, settings.Eta, settings.Direction);
        var reason = decision.Describe(settings.Metric, settings.Signal, settings.Eta);
        if (decision.Continue)
        {
            await catalog.LogAsync(runId, $"ASHA {reason}: goes on.");
            return;
        }
        Stopped = decision;
        await catalog.LogAsync(runId, $"ASHA {reason}: stopped early after epoch {rung} of {lastEpoch} " +
                                      $"({lastEpoch - rung} epochs not trained); its curves and checkpoint are kept.");
        stop.Cancel();
    }

    /// <summary>A run's validation curve of the rung metric up to the rung, by epoch.</summary>
    private async Task<List<(double Epoch, double Value)>> CurveAsync(int id, int rung) =>
        (await metrics.SeriesAsync(id, MetricSplits.Valid, settings.Metric, maxPoints: int.MaxValue))
        .Where(p => p.Epoch <= rung).Select(p => ((double)p.Epoch, p.Value)).ToList();
}
