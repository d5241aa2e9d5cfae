namespace PLaw.Engine.Training;

/// <summary>
/// A session's <see cref="TrainingProgress"/> read as the session's own members (<c>session.Epoch</c> is
/// <c>session.Progress.Epoch</c>), so the loop and every caller read a run's position the same way on any backend.
/// </summary>
public static class SessionProgress
{
    extension(ITrainingSession session)
    {
        public int TrainUserCount => session.Progress.TrainUserCount;
        public int StepsPerEpoch => session.Progress.StepsPerEpoch;
        public long TotalSteps => session.Progress.TotalSteps;

        /// <summary>Epoch in progress (1-based).</summary>
        public int Epoch => session.Progress.Epoch;
        public int StepInEpoch => session.Progress.StepInEpoch;

        /// <summary>Optimiser steps done so far.</summary>
        public long Step => session.Progress.Step;
        public double EpochLossSum => session.Progress.EpochLossSum;
        public int EpochLossCount => session.Progress.EpochLossCount;
        public double LastLearningRate => session.Progress.LastLearningRate;
        public bool EpochDone => session.Progress.EpochDone;

        public double BestValid
        {
            get => session.Progress.BestValid;
            set => session.Progress.BestValid = value;
        }

        public int EvalsSinceBest
        {
            get => session.Progress.EvalsSinceBest;
            set => session.Progress.EvalsSinceBest = value;
        }

        /// <summary>Starts the next epoch: new batch order.</summary>
        public void NextEpoch() => session.Progress.NextEpoch();
    }
}
