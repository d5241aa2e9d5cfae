using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>An outside client (as <c>plaw watch</c> or a notebook is) on the dashboard's hub <c>/hubs/runs</c>.</summary>
public sealed class RunsHubTests
{
    [Fact]
    public async Task AHubClientWatchingARunReceivesItsPointsInBatchesAndItsCompletion()
    {
        await using var server = await DashboardServer.StartAsync();
        await using var hub = new HubConnectionBuilder().WithUrl($"{server.BaseUrl}/hubs/runs").Build();
        var batches = new ConcurrentQueue<List<MetricPoint>>();
        var statuses = new ConcurrentQueue<RunStatus>();
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<int, List<MetricPoint>>("MetricsAppended", (_, points) => batches.Enqueue(points));
        hub.On<RunSummary>("RunChanged", run =>
        {
            statuses.Enqueue(run.Status);
            if (run.Status == RunStatus.Completed) completed.TrySetResult();
        });
        await hub.StartAsync();

        // Queue from outside the server, as the CLI does; watch before the worker picks it up.
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(server.RegistryPath).BuildServiceProvider();
        var demo = (await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!;
        var catalog = services.GetRequiredService<RunCatalog>();
        var run = await catalog.QueueAsync(demo.Id, new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 3, EvalEvery = 1, BatchSize = 32 });
        await hub.InvokeAsync("Watch", run.Id);

        await RegistryFile.WaitWhileTrainingMovesAsync(server.RegistryPath, () => completed.Task.IsCompleted, TimeSpan.FromSeconds(90),
            $"the hub to report run {run.Id} completed");
        await Task.Delay(500);
        var points = batches.SelectMany(b => b).ToList();
        var steps = (await catalog.FindAsync(run.Id))!.StepsDone;
        Assert.Equal(Enumerable.Range(1, (int)steps).Select(s => (long)s), points.Where(p => p.Split == MetricSplits.Train && p.Name == "loss").Select(p => p.Step).Order());
        Assert.Equal(3, points.Count(p => p.Split == MetricSplits.Test && p.Name == "NDCG@10"));
        Assert.True(batches.Count < points.Count, "Points arrive batched, not one message per point.");
        Assert.Contains(RunStatus.Running, statuses);
    }

}
