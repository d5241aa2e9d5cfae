using System.Text.Json;

namespace PLaw.Cli.Tests;

/// <summary>plaw queue / study / runs / cancel / worker / watch / export against one real registry folder.</summary>
public sealed class RunCommandsTests
{
    /// <summary>A registry with one small dataset: 30 users with 12 chronological items each over 20 items.</summary>
    private static Task<string> RegistryWithDatasetAsync() => SmallRegistry.CreateAsync("plaw-cli-runs-");

    private static JsonElement Json(Plaw.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    [Fact]
    public async Task QueuedRunsAreTrainedByTheWorkerCancelledOnesAreNot()
    {
        var data = await RegistryWithDatasetAsync();
        string[] small = ["--layers", "1", "--dim", "8", "--max-len", "10", "--epochs", "2", "--eval-every", "1", "--batch", "16"];
        var first = Json(await Plaw.RunAsync(["queue", "--dataset", "small", .. small, "--tags", "cli", "--data-dir", data, "--json"]));
        var second = Json(await Plaw.RunAsync(["queue", "--dataset", "small", .. small, "--seed", "7", "--data-dir", data, "--json"]));
        Assert.Equal("queued", first.GetProperty("status").GetString());

        var cancel = await Plaw.RunAsync("cancel", second.GetProperty("id").GetInt32().ToString(), "--data-dir", data);
        Assert.True(cancel.ExitCode == 0, cancel.Error);
        Assert.Contains("cancelled", cancel.Out);

        var worker = await Plaw.RunAsync("worker", "--until-empty", "--data-dir", data);
        Assert.True(worker.ExitCode == 0, worker.Error);

        var runs = Json(await Plaw.RunAsync("runs", "--data-dir", data, "--json")).EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        var trained = runs.Single(r => r.GetProperty("id").GetInt32() == first.GetProperty("id").GetInt32());
        Assert.Equal("completed", trained.GetProperty("status").GetString());
        Assert.InRange(trained.GetProperty("testNdcg10").GetDouble(), 0, 1);
        Assert.Equal("cancelled", runs.Single(r => r.GetProperty("id").GetInt32() == second.GetProperty("id").GetInt32()).GetProperty("status").GetString());

        var watch = await Plaw.RunAsync("watch", trained.GetProperty("id").GetInt32().ToString(), "--data-dir", data);
        Assert.True(watch.ExitCode == 0, watch.Error);
        Assert.Contains("completed", watch.Out);

        var export = Path.Combine(data, "metrics.csv");
        var exported = await Plaw.RunAsync("export", "metrics", "--runs", trained.GetProperty("id").GetInt32().ToString(), "--out", export, "--data-dir", data);
        Assert.True(exported.ExitCode == 0, exported.Error);
        var rows = File.ReadAllLines(export);
        Assert.Equal("run,split,name,step,epoch,value,timeUnixMs", rows[0]);
        Assert.Contains(rows, r => r.Contains(",test,NDCG@10,", StringComparison.Ordinal));
        Assert.Equal(trained.GetProperty("stepsDone").GetInt64(), rows.Count(r => r.Contains(",train,loss,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AStudyWithOneBadCombinationQueuesNothing()
    {
        var data = await RegistryWithDatasetAsync();
        var study = await Plaw.RunAsync("study", "--name", "grid", "--dataset", "small", "--models", "sasrec,llama", "--layers-grid", "1,2",
            "--dims", "8,18", "--heads", "2", "--epochs", "1", "--data-dir", data);
        Assert.Equal(2, study.ExitCode);
        Assert.Contains("even head size", study.Error);
        Assert.Empty(Json(await Plaw.RunAsync("runs", "--data-dir", data, "--json")).EnumerateArray());

        var good = Json(await Plaw.RunAsync("study", "--name", "grid", "--dataset", "small", "--models", "sasrec,hstu", "--layers-grid", "1,2",
            "--dims", "8,16", "--epochs", "1", "--data-dir", data, "--json"));
        Assert.Equal(8, good.GetProperty("runs").GetArrayLength());
        Assert.Equal(8, Json(await Plaw.RunAsync("runs", "--study", good.GetProperty("id").GetInt32().ToString(), "--data-dir", data, "--json"))
            .GetArrayLength());
    }

    [Fact]
    public async Task UnknownDatasetAndBadFlagsExitWithOneClearLine()
    {
        var data = await RegistryWithDatasetAsync();
        var missing = await Plaw.RunAsync("queue", "--dataset", "nope", "--data-dir", data);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("No dataset 'nope'", missing.Error);
        var badLoss = await Plaw.RunAsync("queue", "--dataset", "small", "--loss", "hinge", "--data-dir", data);
        Assert.Equal(2, badLoss.ExitCode);
        Assert.Contains("--loss: 'hinge'", badLoss.Error);
    }
}
