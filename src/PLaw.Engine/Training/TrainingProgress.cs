using System.Text.Json;
using PLaw.Engine.Optim;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Training;

/// <summary>
/// Where a run is, kept the same way by every backend's session: the position (epoch, step within the epoch, global
/// step), the epoch's running loss, each step's learning rate (warm-up, cosine decay, and SGD's own rate after the LSRM
/// switch), the training users' order for the epoch, the plateau tracker, and that part of a <see cref="Checkpoint"/>.
/// A session owns the model, the optimiser and the step's arithmetic; it asks this for the step's users and rate.
/// </summary>
public sealed class TrainingProgress
{
    private readonly int[] _trainUsers, _order;

    /// <param name="trainUsers">The users a step draws from (<see cref="TrainingStreams.TrainUsers"/>), ascending.</param>
    public TrainingProgress(RunOptions options, int[] trainUsers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trainUsers);
        Options = options;
        _trainUsers = trainUsers;
        _order = new int[trainUsers.Length];
        Epoch = 1;
        ShuffleForEpoch();
    }

    public RunOptions Options { get; }
    public int TrainUserCount => _trainUsers.Length;
    public int StepsPerEpoch => (_trainUsers.Length + Options.BatchSize - 1) / Options.BatchSize;
    public long TotalSteps => (long)StepsPerEpoch * Options.Epochs;

    /// <summary>Epoch in progress (1-based).</summary>
    public int Epoch { get; private set; }
    public int StepInEpoch { get; private set; }

    /// <summary>Optimiser steps done so far.</summary>
    public long Step { get; private set; }
    public double EpochLossSum { get; private set; }
    public int EpochLossCount { get; private set; }
    public double LastLearningRate { get; private set; }
    public bool EpochDone => StepInEpoch >= StepsPerEpoch;

    /// <summary>The plateau tracker: best validation NDCG@10 so far, and evaluations since it.</summary>
    public double BestValid { get; set; } = double.NegativeInfinity;
    public int EvalsSinceBest { get; set; }

    /// <summary>The users of the next step's batch: the next <see cref="RunOptions.BatchSize"/> of the epoch's order.</summary>
    public ReadOnlyMemory<int> NextBatchUsers()
    {
        if (EpochDone) throw new InvalidOperationException("The epoch is done; call NextEpoch.");
        var from = StepInEpoch * Options.BatchSize;
        return _order.AsMemory(from, Math.Min(Options.BatchSize, _order.Length - from));
    }

    /// <summary>Counts one optimiser step and returns its learning rate under <paramref name="optimizer"/>, the kind in use.</summary>
    public double BeginStep(OptimizerKind optimizer)
    {
        Step++;
        LastLearningRate = LearningRateAt(Step, optimizer);
        return LastLearningRate;
    }

    /// <summary>Ends the step begun by <see cref="BeginStep"/> with its batch's mean loss.</summary>
    public void EndStep(double loss)
    {
        StepInEpoch++;
        EpochLossSum += loss;
        EpochLossCount++;
    }

    /// <summary>The learning rate of global step <paramref name="step"/> (1-based) under <paramref name="optimizer"/>.</summary>
    public double LearningRateAt(long step, OptimizerKind optimizer) => optimizer == OptimizerKind.Sgd && Options.Optimizer != OptimizerKind.Sgd
        ? Options.SgdLearningRate
        : Schedules.LearningRateSchedule(Options, step, TotalSteps);

    /// <summary>Starts the next epoch: new batch order.</summary>
    public void NextEpoch()
    {
        Epoch++;
        StepInEpoch = 0;
        EpochLossSum = 0;
        EpochLossCount = 0;
        ShuffleForEpoch();
    }

    private void ShuffleForEpoch() => TrainingStreams.Shuffle(Options.Seed, Epoch, _trainUsers, _order);

    /// <summary>A checkpoint of this position and the session's state: the optimiser's kind and steps, and the flat
    /// weights and moments as float arrays in the native layout (the caller's copies; the checkpoint keeps them).</summary>
    public Checkpoint ToCheckpoint(List<EpochSummary> history, double epochSeconds, double elapsedSeconds, OptimizerKind optimizer,
        long optimizerSteps, float[] weights, float[] m, float[] v) => new()
    {
        OptionsJson = JsonSerializer.Serialize(Options),
        Epoch = Epoch, StepInEpoch = StepInEpoch, Step = Step, EpochLossSum = EpochLossSum, EpochLossCount = EpochLossCount,
        EpochSeconds = epochSeconds, ElapsedSeconds = elapsedSeconds,
        Optimizer = optimizer.ToString(), OptimizerSteps = optimizerSteps, BestValid = BestValid, EvalsSinceBest = EvalsSinceBest,
        RngState = Rng.For((ulong)Options.Seed, (ulong)Step).State,
        History = [.. history],
        Weights = weights, M = m, V = v,
    };

    /// <summary>
    /// Continues from <paramref name="checkpoint"/>: checks that its weights fit a model of <paramref name="parameters"/>
    /// (and explains a checkpoint of an old layout), lets <paramref name="restoreWeights"/> load the weights and the
    /// optimiser, then takes the position, the epoch's loss, the plateau tracker and the epoch's batch order.
    /// </summary>
    public void Restore(Checkpoint checkpoint, int parameters, Action restoreWeights)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(restoreWeights);
        if (checkpoint.Weights.Length != parameters)
            throw new ArgumentException($"The checkpoint holds {checkpoint.Weights.Length:N0} parameters; this model ({Options.DisplayName}) has " +
                                        $"{parameters:N0}.{LayoutChangeHint(checkpoint.Weights.Length, parameters)}");
        restoreWeights();
        Epoch = checkpoint.Epoch;
        StepInEpoch = checkpoint.StepInEpoch;
        Step = checkpoint.Step;
        EpochLossSum = checkpoint.EpochLossSum;
        EpochLossCount = checkpoint.EpochLossCount;
        BestValid = checkpoint.BestValid;
        EvalsSinceBest = checkpoint.EvalsSinceBest;
        ShuffleForEpoch();
    }

    // SASRec "Original" had an attention output projection until it was made Kang's layout; that layout is now OriginalProj.
    private string LayoutChangeHint(long saved, int parameters)
    {
        long d = Options.Dim, extra = Options.Layers * (d * d + d);
        return Options.Model == ModelFamily.Sasrec && Options.ResolvedVariant == Variants.Original && saved - parameters == extra
            ? $" The difference, {extra:N0} = {Options.Layers} × (d² + d), is the attention output projection that SASRec " +
              $"'{Variants.Original}' had before it became Kang's layout: this checkpoint was trained with that layout, now " +
              $"the variant '{Variants.OriginalProj}'; resume or score it with that variant."
            : "";
    }
}
