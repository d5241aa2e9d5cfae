using System.Text.Json;
using PLaw.Data.Synthetic;
using PLaw.Engine.Ranking;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Ranking;

/// <summary>A ranking run end to end through the trainer, and the task option's rules.</summary>
public sealed class RankingRunTests
{
    private static RunOptions Tiny => new()
    {
        Model = ModelFamily.Hstu, Task = RunTask.Ranking, Layers = 1, Dim = 16, Heads = 2, MaxLength = 8, Dropout = 0, BatchSize = 16,
        Epochs = 2, EvalEvery = 1, Threads = 2, Seed = 7, LearningRate = 0.005,
    };

    private sealed class Recorder : IProgress<TrainingEvent>
    {
        public List<EvaluationCompleted> Evaluations { get; } = [];
        public void Report(TrainingEvent value)
        {
            if (value is EvaluationCompleted e) Evaluations.Add(e);
        }
    }

    [Fact]
    public async Task ARankingRunReportsAucGaucAndLogLossOnValidationAndTestEveryEvaluation()
    {
        var data = RankingData.Walks();
        var recorder = new Recorder();
        var result = await Trainer.RunAsync(Tiny, data, new TrainerContext(), recorder, CancellationToken.None);

        Assert.Equal(["valid", "test", "valid", "test"], recorder.Evaluations.Select(e => e.Split));
        var scored = new RankingSplit(data).ScoredUsers.Length;
        Assert.Equal(40, scored);
        foreach (var e in recorder.Evaluations)
        {
            Assert.InRange(e.Metrics["AUC"], 0, 1);
            Assert.InRange(e.Metrics["GAUC"], 0, 1);
            Assert.True(e.Metrics["LogLoss"] > 0 && double.IsFinite(e.Metrics["LogLoss"]));
            Assert.Equal(scored * RankingSplit.HeldOut, e.Metrics["impressions"]);
            Assert.DoesNotContain("NDCG@10", e.Metrics.Keys);
        }
        Assert.Equal(recorder.Evaluations[^1].Metrics, result.FinalMetrics);
        Assert.Equal(result.History[^1].TestMetrics, result.FinalMetrics);
        Assert.Equal(ParameterCount.Of(Tiny, data.ItemCount), result.Parameters);
    }

    [Fact]
    public async Task TheRankerLearnsLabelsThatFollowTheItem()
    {
        // Labels decided by the item almost alone: a ranker that learns anything ranks the held-out impressions well above chance.
        var data = RankingData.Walks(users: 120, labels: new SyntheticLabelOptions(BaseLogit: 0, ItemSpread: 4, UserSpread: 0, Seed: 11));
        var result = await Trainer.RunAsync(Tiny with { Epochs = 12, EvalEvery = 12 }, data, new TrainerContext(), null, CancellationToken.None);
        Assert.True(result.FinalMetrics["AUC"] > 0.75, $"test AUC {result.FinalMetrics["AUC"]}");
        Assert.True(result.History[^1].MeanLoss < result.History[0].MeanLoss, "the training loss should fall");
    }

    [Fact]
    public async Task DataWithoutLabelsIsRefusedWithAClearError()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Trainer.RunAsync(Tiny, TestData.Walks(minLength: 12, maxLength: 20), new TrainerContext(), null, CancellationToken.None));
        Assert.Contains("needs labelled impressions", e.Message, StringComparison.Ordinal);
        Assert.Contains("--labels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTaskIsHstusOnTheNativeEngineAndNamesTheRun()
    {
        Assert.Empty(Tiny.Validate(30));
        Assert.Contains((Tiny with { Model = ModelFamily.Sasrec }).Problems(30), p => p.Key == "task");
        Assert.Contains((Tiny with { Backend = TrainingBackends.Torch }).Problems(30), p => p.Key == "backend" && p.Message.Contains("native engine only", StringComparison.Ordinal));
        Assert.Contains((Tiny with { Loss = LossKind.SampledSoftmax }).Problems(30), p => p.Key == "loss");
        // auto never picks torch for ranking: on CUDA it is the native engine, which refuses the device (torch would be asked for).
        var e = Assert.Throws<ArgumentException>(() => TrainingBackends.Resolve(Tiny with { Backend = TrainingBackends.Auto, Device = "cuda" }));
        Assert.Contains("native engine runs on the CPU only", e.Message, StringComparison.Ordinal);
        Assert.Equal("hstu-rank-l1-d16-h2-len8-bce-fp32-s7", Tiny.DisplayName);
        Assert.Equal("hstu-l1-d16-h2-len8-bce-fp32-s7", (Tiny with { Task = RunTask.Retrieval }).DisplayName);
    }

    [Fact]
    public void OptionsStoredBeforeTheTaskExistedLoadAsRetrieval()
    {
        var json = JsonSerializer.Serialize(new RunOptions { Model = ModelFamily.Hstu });
        var old = json.Replace(",\"Task\":0", "", StringComparison.Ordinal);
        Assert.NotEqual(json, old);
        Assert.Equal(RunTask.Retrieval, JsonSerializer.Deserialize<RunOptions>(old)!.Task);
        Assert.Equal(RunTask.Ranking, JsonSerializer.Deserialize<RunOptions>(JsonSerializer.Serialize(Tiny))!.Task);
    }

    [Theory]
    [InlineData(PLaw.Engine.Training.Variants.Reference)]
    [InlineData(PLaw.Engine.Training.Variants.PLaw)]
    public void ParameterCountFormulaMatchesTheBuiltRanker(string variant)
    {
        var o = Tiny with { Variant = variant, Layers = 2 };
        var ranker = new Ranker<float>(o, 30);
        var formula = ParameterCount.Of(o, 30);
        Assert.Equal(ranker.Layout.EmbeddingCount, formula.Embedding);
        Assert.Equal(ranker.Layout.NonEmbeddingCount, formula.NonEmbedding);
    }
}
