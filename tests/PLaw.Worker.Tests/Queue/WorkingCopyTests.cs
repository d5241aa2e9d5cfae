using PLaw.Engine.Training;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Runs;

namespace PLaw.Worker.Tests.Queue;

/// <summary>
/// With checkpoints in the registry, a worker's file under runs/run-N is a working copy: removed once the run has ended here
/// and the registry holds its last checkpoint, kept when it is the only copy (local checkpoints) or the run resumes here.
/// </summary>
public sealed class WorkingCopyTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2, EvalEvery = 2, Threads = 1 };

    /// <summary>Thousands of steps: still training when the test cancels it or stops the worker.</summary>
    private static readonly RunOptions Long = Small with { BatchSize = 4, Epochs = 400, EvalEvery = 400 };

    private static string Folder(WorkerHarness harness, int run) => Path.Combine(harness.Registry.Directory, "runs", $"run-{run}");

    /// <summary>A <see cref="Long"/> run, checkpoints in the registry, some steps into its training.</summary>
    private static async Task<int> TrainingLongRunAsync(WorkerHarness harness)
    {
        var id = await harness.QueueAsync(Long);
        await harness.StartWorkerAsync(checkpoints: CheckpointPlacement.RegistryValue);
        await harness.WaitUntilAsync(async () => (await harness.RunAsync(id)).StepsDone > 20);
        return id;
    }

    [Fact]
    public async Task ACompletedRunsCopyIsRemovedAndReadersLoadTheRegistrysCheckpoint()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        var id = await harness.QueueAsync(Small);
        await harness.StartWorkerAsync(checkpoints: CheckpointPlacement.RegistryValue);
        await harness.WaitUntilFinishedAsync(id);
        await harness.StopWorkerAsync();

        var run = await harness.RunAsync(id);
        Assert.True(run.Status == RunStatus.Completed, run.Error);
        Assert.False(Directory.Exists(Folder(harness, id)), "the completed run's working copy is still on the worker's disk");
        var stored = await harness.Registry.Get<CheckpointStore>().FindAsync(id);
        Assert.NotNull(stored);
        using var located = await harness.Registry.Get<CheckpointLocator>().LocateAsync(run, Path.Combine(harness.Registry.Directory, "runs"));
        Assert.True(located.FromRegistry);
        Assert.Equal(2, Checkpoint.Load(located.Path).History.Count);   // the final checkpoint, both epochs
    }

    [Fact]
    public async Task ACancelledRunsCopyIsRemovedOnceItsCheckpointIsInTheRegistry()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        var id = await TrainingLongRunAsync(harness);
        Assert.True(harness.Worker.TryCancelLocal(id));
        await harness.WaitUntilFinishedAsync(id);
        await harness.StopWorkerAsync();

        var run = await harness.RunAsync(id);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.False(Directory.Exists(Folder(harness, id)), "the cancelled run's working copy is still on the worker's disk");
        var stored = await harness.Registry.Get<CheckpointStore>().FindAsync(id);
        Assert.NotNull(stored);
    }

    [Fact]
    public async Task ARunInterruptedByShutdownKeepsItsCopyToResumeFrom()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        var id = await TrainingLongRunAsync(harness);
        await harness.StopWorkerAsync();

        Assert.Equal(RunStatus.Running, (await harness.RunAsync(id)).Status);
        Assert.True(File.Exists(Path.Combine(Folder(harness, id), "checkpoint.bin")), "the interrupted run's working copy was removed");
    }

    [Fact]
    public async Task ALocalCheckpointIsTheOnlyCopyAndStays()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        var id = await harness.QueueAsync(Small);
        await harness.StartWorkerAsync();   // SQLite's default: local checkpoints
        await harness.WaitUntilFinishedAsync(id);
        await harness.StopWorkerAsync();

        Assert.Equal(RunStatus.Completed, (await harness.RunAsync(id)).Status);
        Assert.True(File.Exists(Path.Combine(Folder(harness, id), "checkpoint.bin")), "a local checkpoint was removed");
        Assert.Null(await harness.Registry.Get<CheckpointStore>().FindAsync(id));
    }
}
