namespace PLaw.Engine.Training;

/// <param name="CheckpointPath">Where to save (and, with <paramref name="Resume"/>, load) the run state.</param>
/// <param name="Resume">Continue from <paramref name="CheckpointPath"/> bit for bit when the file exists.</param>
/// <param name="CheckpointEveryEpochs">Save after every this many epochs (and on cancellation).</param>
public sealed record TrainerContext(string? CheckpointPath = null, bool Resume = false, int CheckpointEveryEpochs = 1);

/// <summary>One epoch: mean training loss, wall seconds, and the metrics when it was evaluated (else empty).</summary>
public sealed record EpochSummary(int Epoch, long Step, double MeanLoss, double Seconds,
    IReadOnlyDictionary<string, double> ValidMetrics, IReadOnlyDictionary<string, double> TestMetrics);

/// <param name="FinalMetrics">Test metrics after the last epoch.</param>
/// <param name="GemmBackend">"openblas" or "managed" on the native backend; the backend's name on others.</param>
/// <param name="Backend">The backend that trained ("native", "torch"), <paramref name="Device"/> the device it used ("cpu", "cuda:0").</param>
public sealed record RunResult(ParameterCounts Parameters, IReadOnlyDictionary<string, double> FinalMetrics,
    IReadOnlyList<EpochSummary> History, string GemmBackend, TimeSpan Elapsed, string Backend = TrainingBackends.Native,
    string Device = DeviceNames.Cpu);
