using System.Text.Json;
using PLaw.Tests.Common;

namespace PLaw.Cli.Tests;

/// <summary>A tiny real run on ML-100K (one epoch, 20 % of the users held out as new users), trained once by the real worker.</summary>
public sealed class ChallengeRunFixture : IAsyncLifetime
{
    public string Data { get; private set; } = "";
    public int Run { get; private set; }

    public async Task InitializeAsync()
    {
        RepoPaths.RequireSharedData();
        Data = Path.Combine(Directory.CreateTempSubdirectory("plaw-cli-challenge-").FullName, "data");
        var import = await Plaw.RunAsync("import", RepoPaths.MovieLens100K, "--format", "movielens", "--name", "ml100k", "--data-dir", Data, "--no-entropy");
        Assert.True(import.ExitCode == 0, import.Error);
        var queued = await Plaw.RunAsync("queue", "--dataset", "ml100k", "--layers", "1", "--dim", "16", "--max-len", "20", "--epochs", "1",
            "--batch", "256", "--new-user-share", "0.2", "--data-dir", Data, "--json");
        Assert.True(queued.ExitCode == 0, queued.Error);
        Run = JsonDocument.Parse(queued.Out).RootElement.GetProperty("id").GetInt32();
        var worker = await Plaw.RunAsync("worker", "--until-empty", "--data-dir", Data);
        Assert.True(worker.ExitCode == 0, worker.Error);
        // 943 users, round(0.2 × 943) = 189 held out: 754 train.
        Assert.Contains("754 training users", worker.Error + worker.Out, StringComparison.Ordinal);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary><c>plaw challenge</c> on a real finished run: every section with finite numbers, clear errors, and Ctrl+C.</summary>
public sealed class ChallengeCommandTests(ChallengeRunFixture run) : IClassFixture<ChallengeRunFixture>
{
    private static IEnumerable<double> Numbers(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => [e.GetDouble()],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Numbers(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Numbers),
        _ => [],
    };

    [Fact]
    public async Task JsonHasAllFourSectionsWithFiniteNumbers()
    {
        var result = await Plaw.RunAsync("challenge", run.Run.ToString(), "--json", "--max-users", "300", "--data-dir", run.Data);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("challenges for run", result.Error, StringComparison.Ordinal); // the progress goes to standard error
        var report = JsonDocument.Parse(result.Out).RootElement.GetProperty("report");
        Assert.Equal(1682, report.GetProperty("items").GetInt32());
        Assert.Equal(754, report.GetProperty("scoredUsers").GetInt32());
        Assert.Equal(300, report.GetProperty("usersScored").GetInt32());

        var groups = report.GetProperty("longTail").GetProperty("groups");
        Assert.Equal(["G1", "G2", "G3", "G4"], groups.EnumerateArray().Select(g => g.GetProperty("group").GetString()));
        Assert.Equal([421, 421, 420, 420], groups.EnumerateArray().Select(g => g.GetProperty("items").GetInt32())); // 1,682 = 4 × 420 + 2
        Assert.Equal(300, groups.EnumerateArray().Sum(g => g.GetProperty("users").GetInt64()));

        var cold = report.GetProperty("coldStart");
        Assert.True(cold.GetProperty("available").GetBoolean());
        Assert.Equal(189, cold.GetProperty("newUsers").GetInt32());
        Assert.Equal([5, 10, 20, 50], cold.GetProperty("lengths").EnumerateArray().Select(l => l.GetProperty("length").GetInt32()));
        Assert.Equal([5, 10, 20, 20], cold.GetProperty("lengths").EnumerateArray().Select(l => l.GetProperty("fedLength").GetInt32()));
        Assert.All(cold.GetProperty("lengths").EnumerateArray(), l => Assert.InRange(l.GetProperty("coverage10").GetDouble(), 10.0 / 1682, 1));

        var robustness = report.GetProperty("robustness");
        Assert.Equal(6, robustness.GetProperty("perturbations").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, robustness.GetProperty("cleanHitRate10").ValueKind);

        var trajectory = report.GetProperty("trajectory");
        Assert.Equal(10, trajectory.GetProperty("k").GetInt32());
        Assert.Equal(189, trajectory.GetProperty("users").GetInt32()); // the new users
        Assert.Equal(10, trajectory.GetProperty("positionHitRate").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, trajectory.GetProperty("tr").ValueKind);

        var multi = report.GetProperty("multiDomain"); // ML-100K imported without item domains: the section says so
        Assert.False(multi.GetProperty("available").GetBoolean());
        Assert.Contains("no item domains", multi.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var numbers = Numbers(report).ToList();
        Assert.True(numbers.Count > 80, $"{numbers.Count} numbers");
        Assert.All(numbers, v => Assert.True(double.IsFinite(v), $"{v} is not finite"));
    }

    [Fact]
    public async Task TheTablesNameEveryTask()
    {
        var result = await Plaw.RunAsync("challenge", run.Run.ToString(), "--tasks", "longtail,coldstart", "--max-users", "100", "--data-dir", run.Data);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Long tail", result.Out, StringComparison.Ordinal);
        Assert.Contains("Cold start (189 new users", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Robustness", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Trajectory", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequestsAreClearErrors()
    {
        var unknown = await Plaw.RunAsync("challenge", "99", "--data-dir", run.Data);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Run 99 does not exist", unknown.Error, StringComparison.Ordinal);

        var tasks = await Plaw.RunAsync("challenge", run.Run.ToString(), "--tasks", "longtail,ranking", "--data-dir", run.Data);
        Assert.Equal(2, tasks.ExitCode);
        Assert.Contains("--tasks: 'ranking' is not a challenge task; valid: longtail, coldstart, robustness, trajectory, multidomain.", tasks.Error, StringComparison.Ordinal);

        var queued = await Plaw.RunAsync("queue", "--dataset", "ml100k", "--layers", "1", "--dim", "8", "--epochs", "1", "--data-dir", run.Data, "--json");
        Assert.True(queued.ExitCode == 0, queued.Error);
        var waiting = JsonDocument.Parse(queued.Out).RootElement.GetProperty("id").GetInt32();
        var notFinished = await Plaw.RunAsync("challenge", waiting.ToString(), "--data-dir", run.Data);
        Assert.Equal(2, notFinished.ExitCode);
        Assert.Contains($"Run {waiting} is queued: the challenges are computed for a finished run", notFinished.Error, StringComparison.Ordinal);
        var cancel = await Plaw.RunAsync("cancel", waiting.ToString(), "--data-dir", run.Data); // keep the queue to the fixture's run
        Assert.True(cancel.ExitCode == 0, cancel.Error);

        var checkpoint = Path.Combine(run.Data, "runs", $"run-{run.Run}", "checkpoint.bin");
        File.Move(checkpoint, checkpoint + ".away");
        try
        {
            var missing = await Plaw.RunAsync("challenge", run.Run.ToString(), "--data-dir", run.Data);
            Assert.Equal(2, missing.ExitCode);
            Assert.Contains($"Run {run.Run} (completed) has no checkpoint at {checkpoint}", missing.Error, StringComparison.Ordinal);
            Assert.Equal("", missing.Out);
        }
        finally
        {
            File.Move(checkpoint + ".away", checkpoint);
        }
    }

    [Fact]
    public async Task CtrlCStopsTheComputationWithoutOutput()
    {
        await using var challenge = new PlawProcess("challenge", run.Run.ToString(), "--json", "--max-users", "0", "--threads", "1", "--data-dir", run.Data);
        await challenge.WaitUntilAsync(() => challenge.Error.Contains("challenges for run", StringComparison.Ordinal), "the progress bar");
        await challenge.SignalAsync("INT");
        Assert.Equal(130, await challenge.ExitCodeAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("plaw: stopped.", challenge.Error, StringComparison.Ordinal);
        Assert.Equal("", challenge.Out.Trim());
    }
}
