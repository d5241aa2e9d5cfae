using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PLaw.Cli.Shell;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Worker.Queue;
using PLaw.Registry.Runs;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw worker [--until-empty]</c>: train the registry's queued runs headless, as the dashboard's background service does.</summary>
internal static class WorkerCommand
{
    /// <summary>Each run holds its own model, optimiser state and worker threads; more than this at once only thrashes.</summary>
    private const int MaxConcurrent = 64;

    public static Command Create()
    {
        var untilEmpty = new Option<bool>("--until-empty") { Description = "Exit when no run is queued or running." };
        var concurrent = new Option<int>("--concurrent") { Description = $"Runs trained at once, 1–{MaxConcurrent}.", DefaultValueFactory = _ => 1 };
        var lease = new Option<double>("--lease")
        {
            Description = "Seconds a run stays held without a heartbeat (renewed every third of it): when this worker dies, " +
                          "other workers re-queue its runs this long after its last heartbeat.",
            DefaultValueFactory = _ => RunHolder.DefaultLease.TotalSeconds,
        };
        var command = new Command("worker", "Train queued runs from the registry. Ctrl+C or SIGTERM stops: running runs checkpoint, stay 'running' and resume at the next start; exit 130 / 143.")
        {
            untilEmpty, concurrent, lease,
        };
        command.SetAction(async (result, ct) =>
        {
            var runsAtOnce = result.GetValue(concurrent);
            if (runsAtOnce is < 1 or > MaxConcurrent)
                throw new ArgumentException($"--concurrent: runs at once must be from 1 to {MaxConcurrent} (got {runsAtOnce:N0}).");
            var leaseSeconds = result.GetValue(lease);
            if (!(leaseSeconds >= 0.3 && leaseSeconds <= 3600))
                throw new ArgumentException($"--lease: seconds must be from 0.3 to 3600 (got {leaseSeconds}).");
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var settings = new PLawOptions { MaxConcurrentRuns = runsAtOnce, LeaseMilliseconds = (int)Math.Round(leaseSeconds * 1000) };
            if (result.GetValue(CommonOptions.DataDirectory) is { } dir) settings.DataDirectory = dir;
            var catalog = services.GetRequiredService<RunCatalog>();
            var feed = services.GetRequiredService<RunFeed>();
            using var printing = feed.Subscribe(message =>
            {
                switch (message)
                {
                    case RunChanged { Run: var r } when r.Status is not RunStatus.Running and not RunStatus.Queued:
                        CliProgress.Error.MarkupLineInterpolated($"run {r.Id} {r.Name}: [bold]{r.Status.Label()}[/] {r.TestNdcg10?.ToString("F4") ?? ""}");
                        break;
                    case RunLogged l:
                        CliProgress.Error.MarkupLineInterpolated($"[grey]run {l.RunId}: {l.Text}[/]");
                        break;
                }
            });
            var worker = new RunQueueWorker(catalog, services.GetRequiredService<MetricStore>(), services.GetRequiredService<DatasetCatalog>(),
                feed, Options.Create(settings), services.GetRequiredService<ILogger<RunQueueWorker>>());
            await worker.StartAsync(ct);
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                    if (result.GetValue(untilEmpty) && (await catalog.ListAsync(ct: ct)).All(r => r.Status.IsFinished())) break;
                }
            }
            catch (OperationCanceledException) { }
            await worker.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
