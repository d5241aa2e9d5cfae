using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The dashboard process is killed mid-run and started again on the same registry file.</summary>
public sealed class RunRecoveryTests
{
    /// <summary>How long training may stand still before a wait gives up (a whole run may take longer on a loaded machine).</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(90);

    private static readonly RunOptions Options = new()
    {
        Layers = 1, Dim = 16, MaxLength = 30, Dropout = 0.2, Epochs = 12, EvalEvery = 3, Seed = 11, Threads = 2,
    };

    /// <summary>Queues runs the way another process (the CLI) does: straight into the registry file.</summary>
    private static async Task<int> QueueAsync(string registryPath, RunOptions options)
    {
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(registryPath).BuildServiceProvider();
        var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov")
                   ?? throw new InvalidOperationException("The dashboard did not seed its demo dataset.");
        return (await services.GetRequiredService<RunCatalog>().QueueAsync(demo.Id, options)).Id;
    }

    [Fact]
    public async Task AKilledServerResumesTheRunWithoutGapsOrDuplicatesAndMatchesAnUninterruptedRun()
    {
        var server = await DashboardServer.StartAsync();
        var registry = server.RegistryPath;
        long Scalar(string sql) => RegistryFile.Scalar<long>(registry, sql);
        int interrupted;
        try
        {
            interrupted = await QueueAsync(registry, Options);
            await RegistryFile.WaitWhileTrainingMovesAsync(registry, () => Scalar($"SELECT EpochsDone FROM Runs WHERE Id = {interrupted}") >= 4,
                Stall, "four epochs");
            // Mid-epoch if we can: a few more steps past the epoch's checkpoint.
            var steps = Scalar($"SELECT StepsDone FROM Runs WHERE Id = {interrupted}");
            await RegistryFile.WaitUntilAsync(() => Scalar($"SELECT StepsDone FROM Runs WHERE Id = {interrupted}") > steps + 3,
                TimeSpan.FromSeconds(60), "a few more steps");
        }
        finally
        {
            server.Kill();
        }
        Assert.Equal("Running", RegistryFile.Scalar<string>(registry, $"SELECT Status FROM Runs WHERE Id = {interrupted}"));
        var lossPointsAtKill = Scalar($"SELECT COUNT(*) FROM MetricPoints WHERE RunId = {interrupted} AND Name = 'loss'");

        await using (var restarted = await DashboardServer.StartAsync(server.DataDirectory))
        {
            await RegistryFile.WaitWhileTrainingMovesAsync(registry, () => RegistryFile.Scalar<string>(registry, $"SELECT Status FROM Runs WHERE Id = {interrupted}") == "Completed",
                Stall, "the resumed run to complete");
            var uninterrupted = await QueueAsync(registry, Options);
            await RegistryFile.WaitWhileTrainingMovesAsync(registry, () => RegistryFile.Scalar<string>(registry, $"SELECT Status FROM Runs WHERE Id = {uninterrupted}") == "Completed",
                Stall, "the uninterrupted run to complete");

            // Step losses: every step from 1 to the last exactly once.
            var (count, first, last) = (Scalar($"SELECT COUNT(*) FROM MetricPoints WHERE RunId = {interrupted} AND Split = 'train' AND Name = 'loss'"),
                Scalar($"SELECT MIN(Step) FROM MetricPoints WHERE RunId = {interrupted} AND Split = 'train' AND Name = 'loss'"),
                Scalar($"SELECT MAX(Step) FROM MetricPoints WHERE RunId = {interrupted} AND Split = 'train' AND Name = 'loss'"));
            Assert.Equal(1, first);
            Assert.Equal(last, count);
            Assert.True(count > lossPointsAtKill);
            Assert.Equal(Scalar($"SELECT StepsDone FROM Runs WHERE Id = {interrupted}"), last);
            // One mean loss per epoch and test metrics at epochs 3, 6, 9, 12.
            Assert.Equal(Enumerable.Range(1, 12).Select(e => e.ToString()),
                RegistryFile.Strings(registry, $"SELECT Epoch FROM MetricPoints WHERE RunId = {interrupted} AND Name = 'epoch_loss' ORDER BY Step"));
            Assert.Equal(["3", "6", "9", "12"],
                RegistryFile.Strings(registry, $"SELECT Epoch FROM MetricPoints WHERE RunId = {interrupted} AND Split = 'test' AND Name = 'NDCG@10' ORDER BY Step"));

            // It resumed from its checkpoint (not from scratch) and its numbers are the uninterrupted run's, bit for bit.
            Assert.Equal(2, Scalar($"SELECT Attempts FROM Runs WHERE Id = {interrupted}"));
            Assert.Contains(RegistryFile.Strings(registry, $"SELECT Text FROM RunEvents WHERE RunId = {interrupted}"), t => t.Contains("resuming from its checkpoint"));
            var series = $"SELECT Split || ' ' || Name || ' ' || Step || ' ' || printf('%.17g', Value) FROM MetricPoints WHERE RunId = {{0}} AND Name NOT IN ('epoch_seconds') ORDER BY Split, Name, Step";
            Assert.Equal(RegistryFile.Strings(registry, string.Format(series, uninterrupted)), RegistryFile.Strings(registry, string.Format(series, interrupted)));
        }
    }
}
