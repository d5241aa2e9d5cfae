using System.Text.Json;

namespace PLaw.Cli.Tests;

/// <summary><c>plaw study … --asha</c>: bad early-stopping flags are refused with the flag named and nothing queued; good ones are stored with the study.</summary>
public sealed class StudyAshaTests
{
    private static Task<string> RegistryWithDatasetAsync() => SmallRegistry.CreateAsync("plaw-cli-asha-");

    public static TheoryData<string[], string> BadFlags => new()
    {
        { ["--asha", "--asha-rungs", "2,x,8"], "--asha-rungs: 'x' is not a positive whole number" },
        { ["--asha", "--asha-rungs", "4,2", "--eval-every", "1"], "--asha-rungs: rungs must increase: 4 then 2" },
        { ["--asha", "--asha-rungs", "2,16", "--eval-every", "1"], "--asha-rungs: rung 16 is not before the last epoch (16)" },
        { ["--asha", "--asha-rungs", "3", "--eval-every", "2"], "--asha-rungs: rung 3 has no validation evaluation" },
        { ["--asha-rungs", "2,4"], "--asha-rungs: early-stopping settings need --asha" },
        { ["--asha", "--asha-eta", "1"], "--asha-eta: η must be a number greater than 1" },
        { ["--asha", "--asha-signal", "forecast", "--asha-rungs", "2,4", "--eval-every", "1"], "needs at least 4 validation evaluations by the first rung" },
    };

    [Theory]
    [MemberData(nameof(BadFlags))]
    public async Task BadEarlyStoppingFlagsAreRefusedWithTheFlagNamedAndNothingQueued(string[] flags, string message)
    {
        var data = await RegistryWithDatasetAsync();
        var study = await Plaw.RunAsync(["study", "--name", "grid", "--dataset", "small", "--dims", "8,16", "--epochs", "16",
            "--data-dir", data, .. flags]);
        Assert.Equal(2, study.ExitCode);
        Assert.Contains(message, study.Error);
        var runs = await Plaw.RunAsync("runs", "--data-dir", data, "--json");
        Assert.Empty(JsonDocument.Parse(runs.Out).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task GeometricRungsFromTheFirstRungAndEtaAreStoredWithTheStudy()
    {
        var data = await RegistryWithDatasetAsync();
        var study = await Plaw.RunAsync("study", "--name", "grid", "--dataset", "small", "--dims", "8,16", "--epochs", "16", "--eval-every", "1",
            "--asha", "--asha-min-epoch", "2", "--asha-eta", "2", "--asha-metric", "hr@10", "--data-dir", data, "--json");
        Assert.True(study.ExitCode == 0, study.Error);
        var asha = JsonDocument.Parse(study.Out).RootElement.GetProperty("asha");
        Assert.Equal([2, 4, 8], asha.GetProperty("rungs").EnumerateArray().Select(r => r.GetInt32()));
        Assert.Equal(("HR@10", 2.0, "current"), (asha.GetProperty("metric").GetString(), asha.GetProperty("eta").GetDouble(), asha.GetProperty("signal").GetString()));
    }
}
