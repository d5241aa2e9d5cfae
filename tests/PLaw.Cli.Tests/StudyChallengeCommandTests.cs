using System.Text.Json;

namespace PLaw.Cli.Tests;

/// <summary>A tiny study on the small dataset (SASRec 1 layer × width 8 and 16, one epoch, 20 % new users), trained once by the real worker.</summary>
public sealed class TinyStudyFixture : IAsyncLifetime
{
    public string Data { get; private set; } = "";
    public int Study { get; private set; }
    public int[] Runs { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Data = await SmallRegistry.CreateAsync("plaw-cli-study-challenge-");
        var study = await Plaw.RunAsync("study", "--name", "tiny", "--dataset", "small", "--dims", "8,16", "--layers", "1", "--max-len", "10",
            "--epochs", "1", "--batch", "16", "--new-user-share", "0.2", "--data-dir", Data, "--json");
        Assert.True(study.ExitCode == 0, study.Error);
        var root = JsonDocument.Parse(study.Out).RootElement;
        Study = root.GetProperty("id").GetInt32();
        Runs = [.. root.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).Order()];
        var worker = await Plaw.RunAsync("worker", "--until-empty", "--data-dir", Data);
        Assert.True(worker.ExitCode == 0, worker.Error);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary><c>plaw challenge --study</c>: computes only the missing reports, stores them, prints each challenge against size and the summary.</summary>
public sealed class StudyChallengeCommandTests(TinyStudyFixture tiny) : IClassFixture<TinyStudyFixture>
{
    [Fact]
    public async Task TheStudyComputesOnlyTheMissingReportsThenShowsEachChallengeAgainstSize()
    {
        // One run's report stored by the single-run command (same user cap): the study computes only the other.
        var single = await Plaw.RunAsync("challenge", tiny.Runs[0].ToString(), "--max-users", "0", "--json", "--data-dir", tiny.Data);
        Assert.True(single.ExitCode == 0, single.Error);

        var first = await Plaw.RunAsync("challenge", "--study", "tiny", "--max-users", "0", "--data-dir", tiny.Data);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains($"challenges for study {tiny.Study}: 1 of 2 runs", first.Error, StringComparison.Ordinal);
        foreach (var title in new[] { "Long tail", "Cold start", "Robustness", "Trajectory", "Does size pay off here?" })
            Assert.Contains(title, first.Out, StringComparison.Ordinal);
        Assert.Contains("From the smallest to the largest SASRec", first.Out, StringComparison.Ordinal);

        // Everything is stored now: nothing is computed, and the JSON has both runs against size.
        var again = await Plaw.RunAsync("challenge", "--study", tiny.Study.ToString(), "--max-users", "0", "--json", "--data-dir", tiny.Data);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.DoesNotContain("challenges for", again.Error, StringComparison.Ordinal);
        var root = JsonDocument.Parse(again.Out).RootElement;
        Assert.Equal(tiny.Study, root.GetProperty("study").GetProperty("id").GetInt32());
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(tiny.Runs, runs.Select(r => r.GetProperty("run").GetInt32()).Order());
        Assert.All(runs, r => Assert.Equal("SASRec", r.GetProperty("family").GetString()));
        var sizes = runs.Select(r => r.GetProperty("size").GetInt64()).ToList();
        Assert.True(sizes[0] < sizes[1], $"sizes {string.Join(", ", sizes)} are not ascending");
        Assert.All(runs, r => Assert.Equal(0, r.GetProperty("maxUsers").GetInt32()));

        var series = root.GetProperty("series").EnumerateArray().ToList();
        var g4 = series.Single(s => s.GetProperty("challenge").GetString() == "Long tail" && s.GetProperty("metric").GetString() == "NDCG@10" &&
                                    s.GetProperty("setting").GetString() == "G4");
        Assert.Equal(sizes, g4.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("size").GetInt64()));
        Assert.Contains(series, s => s.GetProperty("challenge").GetString() == "Cold start" && s.GetProperty("setting").GetString() == "5");
        Assert.Contains(series, s => s.GetProperty("challenge").GetString() == "Robustness" && s.GetProperty("setting").GetString() == "replace p=0.3");
        var summary = root.GetProperty("summary").EnumerateArray().Select(l => l.GetProperty("text").GetString()!).ToList();
        Assert.StartsWith("From the smallest to the largest SASRec (", summary[0], StringComparison.Ordinal);
        Assert.StartsWith("This dataset has no item domains", root.GetProperty("multiDomainMissing").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadStudyRequestsAreClearErrors()
    {
        var unknown = await Plaw.RunAsync("challenge", "--study", "nope", "--data-dir", tiny.Data);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--study nope: there is no such study in the registry", unknown.Error, StringComparison.Ordinal);

        var both = await Plaw.RunAsync("challenge", tiny.Runs[0].ToString(), "--study", "tiny", "--data-dir", tiny.Data);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("give a run id or --study <id|name>, not both", both.Error, StringComparison.Ordinal);

        var untrained = await Plaw.RunAsync("study", "--name", "waiting", "--dataset", "small", "--dims", "8", "--epochs", "1", "--data-dir", tiny.Data, "--json");
        Assert.True(untrained.ExitCode == 0, untrained.Error);
        var waiting = JsonDocument.Parse(untrained.Out).RootElement;
        var none = await Plaw.RunAsync("challenge", "--study", "waiting", "--data-dir", tiny.Data);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains($"Study {waiting.GetProperty("id").GetInt32()} (waiting) has no completed runs yet (1 queued", none.Error, StringComparison.Ordinal);
        foreach (var run in waiting.GetProperty("runs").EnumerateArray()) // keep the queue empty for the other test's worker-free runs
            Assert.Equal(0, (await Plaw.RunAsync("cancel", run.GetProperty("id").GetInt32().ToString(), "--data-dir", tiny.Data)).ExitCode);

        // A user cap no stored report has: every run is missing, and the first one's checkpoint is gone.
        var checkpoint = Path.Combine(tiny.Data, "runs", $"run-{tiny.Runs[0]}", "checkpoint.bin");
        File.Move(checkpoint, checkpoint + ".away");
        try
        {
            var missing = await Plaw.RunAsync("challenge", "--study", "tiny", "--max-users", "7", "--data-dir", tiny.Data);
            Assert.Equal(2, missing.ExitCode);
            Assert.Contains($"Run {tiny.Runs[0]} (completed) has no checkpoint at {checkpoint}", missing.Error, StringComparison.Ordinal);
            Assert.Equal("", missing.Out);
        }
        finally
        {
            File.Move(checkpoint + ".away", checkpoint);
        }
    }
}
