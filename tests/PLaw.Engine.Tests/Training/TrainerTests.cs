using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Training;

public sealed class TrainerTests
{
    private static RunOptions Tiny(ModelFamily family = ModelFamily.Sasrec) => new()
    {
        Model = family, Layers = 1, Dim = 8, Heads = 2, MaxLength = 6, Dropout = 0.2, BatchSize = 8, Epochs = 3, EvalEvery = 1,
        Threads = 2, Seed = 7,
    };

    /// <summary>Collects events on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
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

    private static string TempFile() => Path.Combine(Directory.CreateTempSubdirectory("plaw-engine-").FullName, "run.ckpt");

    [Fact]
    public async Task ResumedRunContinuesBitForBit()
    {
        var data = TestData.Walks();
        var options = Tiny();
        var straight = new Recorder();
        var reference = await Trainer.RunAsync(options, data, new TrainerContext(), straight, CancellationToken.None);

        // Interrupt in the middle of epoch 2, then resume from the checkpoint written on cancellation.
        var path = TempFile();
        using var cts = new CancellationTokenSource();
        var stopAt = straight.Steps.Count / 2 + 1;
        var first = new Recorder(e => { if (e is StepCompleted s && s.Step == stopAt) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Trainer.RunAsync(options, data, new TrainerContext(path), first, cts.Token));
        Assert.Contains(first.Events, e => e is CheckpointSaved c && c.Step == stopAt);
        var second = new Recorder();
        var resumed = await Trainer.RunAsync(options, data, new TrainerContext(path, Resume: true), second, CancellationToken.None);

        var steps = first.Steps.Concat(second.Steps).ToList();
        Assert.Equal(straight.Steps.Select(s => s.Step), steps.Select(s => s.Step)); // numbering continues, never repeats
        Assert.Equal(straight.Steps.Select(s => s.Loss), steps.Select(s => s.Loss)); // exact equality, not a tolerance
        Assert.Equal(straight.Steps.Select(s => s.Epoch), steps.Select(s => s.Epoch));
        Assert.Equal(reference.FinalMetrics, resumed.FinalMetrics);
        Assert.Equal(reference.History.Select(h => h.MeanLoss), resumed.History.Select(h => h.MeanLoss));
        Assert.True(second.Steps[0].Step == stopAt + 1);
    }

    [Fact]
    public async Task SameSeedAndThreadsGiveIdenticalRunsAndAnotherSeedDoesNot()
    {
        var data = TestData.Walks();
        var options = Tiny() with { Epochs = 1 };
        var a = await Trainer.RunAsync(options, data, new TrainerContext(), null, CancellationToken.None);
        var b = await Trainer.RunAsync(options, data, new TrainerContext(), null, CancellationToken.None);
        var c = await Trainer.RunAsync(options with { Seed = 8 }, data, new TrainerContext(), null, CancellationToken.None);
        Assert.Equal(a.History[0].MeanLoss, b.History[0].MeanLoss);
        Assert.Equal(a.FinalMetrics, b.FinalMetrics);
        Assert.NotEqual(a.History[0].MeanLoss, c.History[0].MeanLoss);
    }

    [Theory]
    [InlineData(Variants.PostLn)]
    [InlineData(Variants.Original)]
    public async Task SasrecLearnsTheSyntheticWalks(string variant)
    {
        var data = TestData.Walks(users: 60);
        var options = Tiny() with { Variant = variant, Epochs = 30, EvalEvery = 30, Dim = 16, Dropout = 0.1, LearningRate = 0.01, BatchSize = 16 };
        var result = await Trainer.RunAsync(options, data, new TrainerContext(), null, CancellationToken.None);
        Assert.True(result.History[^1].MeanLoss < 0.7 * result.History[0].MeanLoss,
            $"loss {result.History[0].MeanLoss:F3} → {result.History[^1].MeanLoss:F3}");
        // Random ranking among 101 candidates gives HR@10 ≈ 0.1; the walks are predictable.
        Assert.True(result.FinalMetrics["HR@10"] > 0.5, $"HR@10 {result.FinalMetrics["HR@10"]:F3}");
    }

    public static TheoryData<ModelFamily, string?, LossKind, Precision, EvalProtocol> Configurations() => new()
    {
        { ModelFamily.Sasrec, Variants.PreLn, LossKind.SampledSoftmax, Precision.Fp32, EvalProtocol.Full },
        { ModelFamily.Hstu, Variants.Reference, LossKind.SampledSoftmax, Precision.Fp32, EvalProtocol.Sampled2500 },
        { ModelFamily.Hstu, Variants.PLaw, LossKind.Bce, Precision.Bf16, EvalProtocol.Sampled100 },
        { ModelFamily.Llama, null, LossKind.FullSoftmax, Precision.Fp32, EvalProtocol.Full },
        { ModelFamily.Llama, null, LossKind.Bce, Precision.Bf16, EvalProtocol.Sampled100 },
        { ModelFamily.Sasrec, null, LossKind.Bce, Precision.Bf16, EvalProtocol.Full },
        { ModelFamily.Sasrec, Variants.Original, LossKind.Bce, Precision.Fp32, EvalProtocol.Sampled100 },
        { ModelFamily.Sasrec, Variants.Original, LossKind.SampledSoftmax, Precision.Bf16, EvalProtocol.Full },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task EveryFamilyLossPrecisionAndProtocolTrainsWithFiniteNumbers(ModelFamily family, string? variant, LossKind loss,
        Precision precision, EvalProtocol eval)
    {
        var data = TestData.Walks(timestamps: true);
        var options = Tiny(family) with { Variant = variant, Loss = loss, Negatives = 5, Precision = precision, Eval = eval, Epochs = 4, EvalEvery = 4, LearningRate = 0.005 };
        var recorder = new Recorder();
        var result = await Trainer.RunAsync(options, data, new TrainerContext(), recorder, CancellationToken.None);
        Assert.All(recorder.Steps, s => Assert.True(double.IsFinite(s.Loss)));
        Assert.True(result.History[^1].MeanLoss < result.History[0].MeanLoss, $"{result.History[0].MeanLoss} → {result.History[^1].MeanLoss}");
        foreach (var key in new[] { "HR@1", "HR@10", "NDCG@10", "NDCG@200", "MRR", "loss" })
            Assert.True(result.FinalMetrics.ContainsKey(key), key);
        Assert.Equal(eval == EvalProtocol.Full, result.FinalMetrics.ContainsKey("Coverage@10"));
        Assert.InRange(result.FinalMetrics["HR@10"], 0, 1);
        Assert.Equal(ParameterCount.Of(options, data.ItemCount), result.Parameters);
        Assert.Contains(recorder.Events, e => e is Message m && m.Text.Contains("GEMM backend", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StepEventsCoverEveryStepAndEvaluationsReportBothSplits()
    {
        var data = TestData.Walks();
        var recorder = new Recorder();
        var result = await Trainer.RunAsync(Tiny() with { Epochs = 2, EvalEvery = 2 }, data, new TrainerContext(), recorder, CancellationToken.None);
        var steps = recorder.Steps;
        Assert.Equal(Enumerable.Range(1, steps.Count).Select(i => (long)i), steps.Select(s => s.Step));
        Assert.Equal(result.History[^1].Step, steps[^1].Step);
        Assert.Equal(["valid", "test"], recorder.Events.OfType<EvaluationCompleted>().Select(e => e.Split));
        Assert.Equal(2, recorder.Events.OfType<EpochCompleted>().Count());
        Assert.Empty(result.History[0].TestMetrics); // evaluated every 2 epochs only
    }

    [Fact]
    public async Task SgdSwitchAtAGivenEpochIsAnnouncedAndChangesTheUpdates()
    {
        var data = TestData.Walks();
        var recorder = new Recorder();
        var options = Tiny() with { SwitchToSgdEpoch = 2, SgdLearningRate = 0.05 };
        var switched = await Trainer.RunAsync(options, data, new TrainerContext(), recorder, CancellationToken.None);
        var plain = await Trainer.RunAsync(Tiny(), data, new TrainerContext(), null, CancellationToken.None);
        Assert.Contains(recorder.Events, e => e is Message m && m.Text.Contains("SGD", StringComparison.Ordinal));
        Assert.Equal(plain.History[0].MeanLoss, switched.History[0].MeanLoss);
        Assert.NotEqual(plain.History[1].MeanLoss, switched.History[1].MeanLoss);
        Assert.All(recorder.Steps.Where(s => s.Epoch >= 2), s => Assert.Equal(0.05, s.LearningRate));
    }

    [Fact]
    public async Task PlateauOfValidationNdcgSwitchesToSgd()
    {
        // A learning rate of 1e-12 leaves the full-ranking scores unchanged, so NDCG@10 cannot improve after the first evaluation.
        var recorder = new Recorder();
        var options = Tiny() with { LearningRate = 1e-12, Eval = EvalProtocol.Full, EvalEvery = 1, Epochs = 4, SwitchToSgdOnPlateau = true, PlateauPatience = 2 };
        await Trainer.RunAsync(options, TestData.Walks(), new TrainerContext(), recorder, CancellationToken.None);
        var switchMessage = recorder.Events.FindIndex(e => e is Message m && m.Text.Contains("has not improved", StringComparison.Ordinal));
        Assert.True(switchMessage > 0);
        var epochOfSwitch = recorder.Events.Take(switchMessage).OfType<EpochCompleted>().Last().Epoch;
        Assert.Equal(3, epochOfSwitch); // best at epoch 1, no improvement at 2 and 3
        Assert.All(recorder.Steps.Where(s => s.Epoch == 4), s => Assert.Equal(options.SgdLearningRate, s.LearningRate));
    }

    [Fact]
    public async Task Bf16StaysCloseToFp32ButIsNotIdentical()
    {
        var data = TestData.Walks(users: 60);
        var fp32 = await Trainer.RunAsync(Tiny() with { Epochs = 2, EvalEvery = 2 }, data, new TrainerContext(), null, CancellationToken.None);
        var bf16 = await Trainer.RunAsync(Tiny() with { Epochs = 2, EvalEvery = 2, Precision = Precision.Bf16 }, data, new TrainerContext(), null,
            CancellationToken.None);
        Assert.NotEqual(fp32.History[1].MeanLoss, bf16.History[1].MeanLoss);
        Assert.True(Math.Abs(fp32.History[1].MeanLoss - bf16.History[1].MeanLoss) < 0.02 * fp32.History[1].MeanLoss,
            $"fp32 {fp32.History[1].MeanLoss} vs bf16 {bf16.History[1].MeanLoss}");
    }

    [Fact]
    public async Task CancellationWithoutACheckpointPathThrows()
    {
        using var cts = new CancellationTokenSource();
        var recorder = new Recorder(e => { if (e is StepCompleted { Step: 2 }) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Trainer.RunAsync(Tiny(), TestData.Walks(), new TrainerContext(), recorder, cts.Token));
        Assert.Equal(2, recorder.Steps.Count);
    }

    [Fact]
    public async Task InvalidOptionsAreRejectedWithReadableProblems()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            Trainer.RunAsync(Tiny(ModelFamily.Llama) with { Dim = 50, Heads = 4 }, TestData.Walks(), new TrainerContext(), null, CancellationToken.None));
        Assert.Contains("even head size", e.Message, StringComparison.Ordinal);
    }
}
