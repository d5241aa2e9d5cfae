using PLaw.Engine.Torch.Training;
using PLaw.Engine.Training;

namespace PLaw.Engine.Torch.Tests.Training;

/// <summary>
/// Whole runs through <see cref="Trainer"/> with <c>Backend = torch</c>: float32 ML-100K against the native engine,
/// checkpoint → cancel → resume bit for bit, the header, and device errors.
/// </summary>
[Collection(TorchGeneratorCollection.Name)]
public sealed class TorchTrainerTests
{
    public TorchTrainerTests() => TorchBackend.Install();

    private sealed class Recorder(Action<TrainingEvent>? onEvent = null) : IProgress<TrainingEvent>
    {
        public List<TrainingEvent> Events { get; } = [];

        public void Report(TrainingEvent value)
        {
            Events.Add(value);
            onEvent?.Invoke(value);
        }

        public List<StepCompleted> Steps => Events.OfType<StepCompleted>().ToList();
    }

    private static RunOptions Tiny() => new()
    {
        Backend = TrainingBackends.Torch, Device = DeviceNames.Cpu, Layers = 1, Dim = 8, Heads = 2, MaxLength = 6, Dropout = 0.2,
        BatchSize = 8, Epochs = 3, EvalEvery = 1, Threads = 2, Seed = 7,
    };

    [Fact]
    public async Task Float32MovieLensRunFollowsTheNativeEngine()
    {
        var data = TrainingData.MovieLens();
        // Dropout 0 and one native worker: both backends see the same batches and negatives.
        var native = new RunOptions
        {
            Layers = 1, Dim = 16, Heads = 1, MaxLength = 20, Dropout = 0, BatchSize = 128, Epochs = 3, EvalEvery = 1, EvalUsers = 0,
            Threads = 1, Seed = 3,
        };
        var a = await Trainer.RunAsync(native, data, new TrainerContext(), null, CancellationToken.None);
        var torchRecorder = new Recorder();
        var b = await Trainer.RunAsync(native with { Backend = TrainingBackends.Torch, Threads = 2 }, data, new TrainerContext(), torchRecorder,
            CancellationToken.None);

        Assert.Equal(("native", "torch"), (a.Backend, b.Backend));
        Assert.Equal(3, b.History.Count);
        for (var e = 0; e < 3; e++)
        {
            var (na, tb) = (a.History[e], b.History[e]);
            var lossError = Math.Abs(na.MeanLoss - tb.MeanLoss) / na.MeanLoss;
            Assert.True(lossError <= 1e-3, $"epoch {e + 1}: loss {tb.MeanLoss:F6} vs native {na.MeanLoss:F6} ({lossError:E2})");
            foreach (var (split, nm, tm) in new[] { ("valid", na.ValidMetrics, tb.ValidMetrics), ("test", na.TestMetrics, tb.TestMetrics) })
                foreach (var key in new[] { "HR@10", "NDCG@10", "MRR" })
                    Assert.True(Math.Abs(nm[key] - tm[key]) <= 0.005, $"epoch {e + 1} {split} {key}: {tm[key]:F4} vs native {nm[key]:F4}");
        }
        Assert.True(b.History[^1].MeanLoss < b.History[0].MeanLoss, "the torch run did not learn");
        Assert.Contains(torchRecorder.Events, ev => ev is Message m && m.Text.StartsWith("Backend torch on cpu; libtorch ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CancelledRunResumesFromItsCheckpointBitForBit()
    {
        var data = TrainingData.Walks();
        var options = Tiny();
        var straight = new Recorder();
        var reference = await Trainer.RunAsync(options, data, new TrainerContext(), straight, CancellationToken.None);

        var path = Path.Combine(Directory.CreateTempSubdirectory("plaw-torch-").FullName, "run.ckpt");
        using var cts = new CancellationTokenSource();
        var stopAt = straight.Steps.Count / 2 + 1;
        var first = new Recorder(e => { if (e is StepCompleted s && s.Step == stopAt) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Trainer.RunAsync(options, data, new TrainerContext(path), first, cts.Token));
        Assert.Contains(first.Events, e => e is CheckpointSaved c && c.Step == stopAt);
        Assert.Equal(stopAt, first.Steps.Count);
        var second = new Recorder();
        var resumed = await Trainer.RunAsync(options, data, new TrainerContext(path, Resume: true), second, CancellationToken.None);

        var steps = first.Steps.Concat(second.Steps).ToList();
        Assert.Equal(straight.Steps.Select(s => s.Step), steps.Select(s => s.Step));
        Assert.Equal(straight.Steps.Select(s => s.Loss), steps.Select(s => s.Loss)); // exact, dropout included
        Assert.Equal(reference.FinalMetrics, resumed.FinalMetrics);
        Assert.Equal(reference.History.Select(h => h.MeanLoss), resumed.History.Select(h => h.MeanLoss));
        Assert.Equal(stopAt + 1, second.Steps[0].Step);
    }

    [Fact]
    public async Task ATorchCheckpointResumesOnTheNativeBackend()
    {
        var data = TrainingData.Walks();
        // Dropout 0 and one native worker: the native backend continues with the batches torch would have drawn.
        var options = Tiny() with { Dropout = 0, Threads = 1, Epochs = 2 };
        var reference = await Trainer.RunAsync(options, data, new TrainerContext(), null, CancellationToken.None);

        var path = Path.Combine(Directory.CreateTempSubdirectory("plaw-torch-").FullName, "run.ckpt");
        using var cts = new CancellationTokenSource();
        var first = new Recorder(e => { if (e is EpochCompleted { Epoch: 1 }) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Trainer.RunAsync(options, data, new TrainerContext(path), first, cts.Token));
        Assert.Contains(first.Events, e => e is CheckpointSaved { Epoch: 1 });
        var native = await Trainer.RunAsync(options with { Backend = TrainingBackends.Native }, data, new TrainerContext(path, Resume: true), null,
            CancellationToken.None);

        Assert.Equal("native", native.Backend);
        Assert.Equal(reference.History[0].MeanLoss, native.History[0].MeanLoss); // epoch 1 comes from the checkpoint
        var lossError = Math.Abs(native.History[1].MeanLoss - reference.History[1].MeanLoss) / reference.History[1].MeanLoss;
        Assert.True(lossError <= 1e-4, $"epoch 2 loss {native.History[1].MeanLoss:F6} on native vs {reference.History[1].MeanLoss:F6} on torch");
        foreach (var key in new[] { "HR@10", "NDCG@10" })
            Assert.True(Math.Abs(native.FinalMetrics[key] - reference.FinalMetrics[key]) <= 0.005, key);
    }

    [Fact]
    public async Task SameSeedGivesTheSameRunAndAnotherSeedDoesNot()
    {
        var data = TrainingData.Walks();
        var options = Tiny() with { Epochs = 1 };
        var a = await Trainer.RunAsync(options, data, new TrainerContext(), null, CancellationToken.None);
        var b = await Trainer.RunAsync(options, data, new TrainerContext(), null, CancellationToken.None);
        var c = await Trainer.RunAsync(options with { Seed = 8 }, data, new TrainerContext(), null, CancellationToken.None);
        Assert.Equal(a.History[0].MeanLoss, b.History[0].MeanLoss);
        Assert.Equal(a.FinalMetrics, b.FinalMetrics);
        Assert.NotEqual(a.History[0].MeanLoss, c.History[0].MeanLoss);
    }

    [Fact]
    public void AutoOnThisCpuHostPicksByTheBenchmarksCrossoverWidthAndTorchWhenAsked()
    {
        var below = TrainingBackends.CpuTorchFromWidth - 1;
        Assert.Equal(("native", "cpu"), Resolve(new RunOptions { Backend = TrainingBackends.Auto }));
        Assert.Equal(("native", "cpu"), Resolve(new RunOptions { Backend = TrainingBackends.Auto, Device = DeviceNames.Cpu, Dim = below }));
        Assert.Equal(("torch", "cpu"), Resolve(new RunOptions { Backend = TrainingBackends.Auto, Dim = TrainingBackends.CpuTorchFromWidth }));
        Assert.Equal(("torch", "cpu"), Resolve(new RunOptions { Backend = TrainingBackends.Auto, Device = DeviceNames.Cpu, Dim = 512 }));
        // torch has no bf16: a wide bf16 run stays native.
        Assert.Equal(("native", "cpu"), Resolve(new RunOptions { Backend = TrainingBackends.Auto, Dim = 512, Precision = Precision.Bf16 }));
        Assert.Equal(("torch", "cpu"), Resolve(new RunOptions { Backend = TrainingBackends.Torch }));
        Assert.Equal(("torch", "cpu"), Resolve(new RunOptions { Backend = TrainingBackends.Torch, Device = DeviceNames.Cpu }));
    }

    [Theory]
    [InlineData("torch", "cuda")]
    [InlineData("auto", "cuda:1")]
    public void CudaOnACpuOnlyHostIsAClearError(string backend, string device)
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingBackends.Resolve(new RunOptions { Backend = backend, Device = device }));
        Assert.StartsWith($"Device {device}: libtorch sees no CUDA device", e.Message, StringComparison.Ordinal);
        Assert.Contains("-p:TorchVariant=cuda", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bf16IsRefusedOnTheTorchBackend()
    {
        var problems = (Tiny() with { Precision = Precision.Bf16 }).Validate();
        Assert.Contains(problems, p => p.StartsWith("Precision bf16 is not available on the torch backend", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new TorchTrainingSession(Tiny() with { Precision = Precision.Bf16, Backend = TrainingBackends.Auto },
            TrainingData.Walks(), DeviceNames.Cpu));
    }

    private static (string, string) Resolve(RunOptions options)
    {
        var (backend, device) = TrainingBackends.Resolve(options);
        return (backend.Name, device);
    }
}
