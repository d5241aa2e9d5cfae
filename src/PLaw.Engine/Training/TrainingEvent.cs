namespace PLaw.Engine.Training;

/// <summary>What the trainer reports while it runs. Epochs are 1-based; steps count optimiser steps from 1 and
/// continue across a resume (a resumed run never repeats a step number).</summary>
public abstract record TrainingEvent;

/// <summary>Raised once, when the session is open: what trains the run (<see cref="ITrainingSession.Backend"/>,
/// <see cref="ITrainingSession.Device"/>, <see cref="ITrainingSession.Compute"/>).</summary>
public sealed record SessionOpened(string Backend, string Device, string Compute) : TrainingEvent;

/// <summary>Raised after every optimiser step.</summary>
public sealed record StepCompleted(int Epoch, long Step, double Loss, double LearningRate, TimeSpan Elapsed) : TrainingEvent;

/// <summary>Metrics keys: "HR@10", "NDCG@10", "MRR", "Coverage@10" (full ranking), "loss"; a ranking run's "AUC", "GAUC",
/// "LogLoss", "impressions", "positives", "users" (<see cref="Ranking.RankingEvaluator"/>).</summary>
public sealed record EvaluationCompleted(int Epoch, long Step, string Split, IReadOnlyDictionary<string, double> Metrics,
    TimeSpan Elapsed) : TrainingEvent;

public sealed record EpochCompleted(int Epoch, long Step, double MeanLoss, double Seconds) : TrainingEvent;

public sealed record CheckpointSaved(int Epoch, long Step, string Path) : TrainingEvent;

/// <summary>Free text: the GEMM backend in use, the Adam → SGD switch, a resume.</summary>
public sealed record Message(string Text) : TrainingEvent;
