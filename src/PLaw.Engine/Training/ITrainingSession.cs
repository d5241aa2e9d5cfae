using PLaw.Engine.Optim;

namespace PLaw.Engine.Training;

/// <summary>
/// What <see cref="Trainer"/>'s loop needs from a backend: the position in the run (its <see cref="TrainingProgress"/>,
/// the one bookkeeping every backend shares), one optimiser step on the next batch, evaluation, the LSRM switch to SGD,
/// and checkpoints in the one <see cref="Checkpoint"/> format (flat weights and moments in the native
/// <see cref="Tensors.ParameterLayout"/>), so a run resumes on the backend that wrote it. Implemented by the native
/// <see cref="TrainingSession"/> and by PLaw.Engine.Torch's session; created by <see cref="TrainingBackends.Open"/>.
/// </summary>
public interface ITrainingSession : IDisposable
{
    RunOptions Options { get; }

    /// <summary>The backend's name ("native", "torch") and the device it runs on ("cpu", "cuda:0").</summary>
    string Backend { get; }
    string Device { get; }

    /// <summary>How the backend computes, for the run's header line (e.g. "GEMM backend: openblas; 2 worker thread(s)").</summary>
    string Compute { get; }

    ParameterCounts Counts { get; }

    /// <summary>The run's position, epoch loss, learning rate, batch order and plateau tracker, kept by one shared class
    /// (read through <see cref="SessionProgress"/> as <c>session.Epoch</c>, <c>session.Step</c>, …).</summary>
    TrainingProgress Progress { get; }

    /// <summary>One optimiser step on the next batch of the epoch; returns the batch's mean loss.</summary>
    double TrainStep();

    /// <summary>Validation or test metrics for the current weights.</summary>
    Dictionary<string, double> Evaluate(bool test);

    /// <summary>The optimiser now in use (Adam/AdamW until the LSRM switch, then SGD).</summary>
    OptimizerKind OptimizerKind { get; }

    /// <summary>Switch to SGD with momentum (<see cref="Optimizer.SwitchToSgd"/>).</summary>
    void SwitchToSgd();

    Checkpoint ToCheckpoint(List<EpochSummary> history, double epochSeconds, double elapsedSeconds);
    void Restore(Checkpoint checkpoint);
}
