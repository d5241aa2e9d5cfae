using PLaw.Engine.Optim;

namespace PLaw.Engine.Training;

/// <summary>
/// What <see cref="Trainer"/>'s loop needs from a backend: the position in the run, one optimiser step on the next batch,
/// the epoch boundary, evaluation, the LSRM switch to SGD, and checkpoints in the one <see cref="Checkpoint"/> format
/// (flat weights and moments in the native <see cref="Tensors.ParameterLayout"/>), so a run resumes on the backend that
/// wrote it. Implemented by the native <see cref="TrainingSession"/> and by PLaw.Engine.Torch's session; created by
/// <see cref="TrainingBackends.Open"/>.
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
    int TrainUserCount { get; }
    int StepsPerEpoch { get; }
    long TotalSteps { get; }

    /// <summary>Epoch in progress (1-based).</summary>
    int Epoch { get; }
    int StepInEpoch { get; }

    /// <summary>Optimiser steps done so far.</summary>
    long Step { get; }
    double EpochLossSum { get; }
    int EpochLossCount { get; }
    double LastLearningRate { get; }
    bool EpochDone { get; }

    /// <summary>One optimiser step on the next batch of the epoch; returns the batch's mean loss.</summary>
    double TrainStep();

    /// <summary>Starts the next epoch: new batch order.</summary>
    void NextEpoch();

    /// <summary>Validation or test metrics for the current weights.</summary>
    Dictionary<string, double> Evaluate(bool test);

    /// <summary>The optimiser now in use (Adam/AdamW until the LSRM switch, then SGD).</summary>
    OptimizerKind OptimizerKind { get; }

    /// <summary>Switch to SGD with momentum (<see cref="Optimizer.SwitchToSgd"/>).</summary>
    void SwitchToSgd();

    /// <summary>The plateau tracker: best validation NDCG@10 so far, and evaluations since it.</summary>
    double BestValid { get; set; }
    int EvalsSinceBest { get; set; }

    Checkpoint ToCheckpoint(List<EpochSummary> history, double epochSeconds, double elapsedSeconds);
    void Restore(Checkpoint checkpoint);
}
