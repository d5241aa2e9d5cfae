using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PLaw.Cli.Shell;
using PLaw.Registry;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Datasets;
using PLaw.Worker.Queue;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw worker [--until-empty]</c>: train the registry's queued runs headless, as the dashboard's background service does; with
/// <c>--registry https://dashboard --token …</c> from any host, on the registry that dashboard gives its workers.
/// </summary>
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
        var registry = new Option<string?>("--registry")
        {
            Description = "The registry to train from: a dashboard's address (https://plaw.example.org, with a worker token: --token), " +
                          "a PostgreSQL connection string (Host=…;Database=…;Username=…) or URI (postgres://user@host/db), or a SQLite " +
                          "file. Default: $PLAW_REGISTRY, else the SQLite file under --data-dir.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLAW_REGISTRY") is { Length: > 0 } env ? env : null,
        };
        var passwordFile = new Option<string?>("--registry-password-file")
        {
            Description = "A file holding the PostgreSQL password (a Docker secret), kept out of the connection string. Default: $PLAW_REGISTRY_PASSWORD_FILE.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLAW_REGISTRY_PASSWORD_FILE") is { Length: > 0 } env ? env : null,
        };
        var devices = new Option<string?>("--devices")
        {
            Description = "Training devices, comma-separated (cpu, cuda, cuda:N): one run trains on each at once, and a run on device " +
                          "auto gets a free one. Default: --concurrent runs, each on its own device. Default: $PLAW_DEVICES.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLAW_DEVICES") is { Length: > 0 } env ? env : null,
        };
        var token = new Option<string?>("--token")
        {
            Description = "With --registry https://dashboard: a worker-scoped API token of an Admin (plaw tokens create --scope worker). " +
                          "Default: --token-file, $PLAW_TOKEN, $PLAW_TOKEN_FILE, else the token plaw login saved for that address.",
        };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding the worker token (a Docker secret)." };
        var checkpoints = new Option<string?>("--checkpoints")
        {
            Description = "Where checkpoints live: registry (chunked in the registry: a run killed on one host resumes on any other), " +
                          "local (under --data-dir/runs, this host only) or a folder every worker mounts at the same path. " +
                          "Default: $PLAW_CHECKPOINTS, else registry on PostgreSQL and local on SQLite.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLAW_CHECKPOINTS") is { Length: > 0 } env ? env : null,
        };
        var command = new Command("worker", "Train queued runs from the registry. Ctrl+C or SIGTERM stops: running runs checkpoint, stay 'running' and resume at the next start; exit 130 / 143.")
        {
            untilEmpty, concurrent, lease, registry, passwordFile, token, tokenFile, checkpoints, devices,
        };
        command.SetAction(async (result, ct) =>
        {
            var runsAtOnce = result.GetValue(concurrent);
            if (runsAtOnce is < 1 or > MaxConcurrent)
                throw new ArgumentException($"--concurrent: runs at once must be from 1 to {MaxConcurrent} (got {runsAtOnce:N0}).");
            var leaseSeconds = result.GetValue(lease);
            if (!(leaseSeconds >= 0.3 && leaseSeconds <= 3600))
                throw new ArgumentException($"--lease: seconds must be from 0.3 to 3600 (got {leaseSeconds}).");
            var joined = false;
            RegistryConnection? named = null;
            if (result.GetValue(registry) is { } connection)
            {
                if (DashboardJoin.IsDashboard(connection, out var dashboard))
                {
                    DashboardJoin.RequireSecure(dashboard);
                    named = await DashboardJoin.FetchAsync(dashboard, DashboardJoin.Token(result.GetValue(token), result.GetValue(tokenFile), dashboard),
                        TimeSpan.FromSeconds(30), ct);
                    joined = true;
                    CliProgress.Error.MarkupLineInterpolated($"[grey]joined {Credentials.Normalize(dashboard)}: registry {named.Display}[/]");
                }
                else named = RegistryConnection.Parse(connection).WithPasswordFile(result.GetValue(passwordFile));
            }
            else if (result.GetValue(token) is not null || result.GetValue(tokenFile) is not null)
                throw new ArgumentException("--token and --token-file go with --registry https://dashboard (a dashboard's address).");
            await using var services = named is not null
                ? await OpenAsync(named, joined, ct)
                : await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var settings = new PLawOptions
            {
                MaxConcurrentRuns = runsAtOnce, LeaseMilliseconds = (int)Math.Round(leaseSeconds * 1000), Checkpoints = result.GetValue(checkpoints),
                Devices = result.GetValue(devices),
            };
            foreach (var device in settings.DeviceList)
                if (!PLaw.Engine.Training.DeviceNames.IsValid(device) || device == PLaw.Engine.Training.DeviceNames.Auto)
                    throw new ArgumentException($"--devices: '{device}' is not a device; give cpu, cuda or cuda:N, comma-separated.");
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
                feed, Options.Create(settings), services.GetRequiredService<ILogger<RunQueueWorker>>(), services.GetRequiredService<CheckpointStore>(),
                services.GetRequiredService<PLaw.Registry.Workers.WorkerRegistry>());
            CliProgress.Error.MarkupLineInterpolated($"[grey]{worker.Checkpoints.Describe()}[/]");
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

    /// <summary>The registry named by --registry, migrated (PostgreSQL: the first of several workers starting at once migrates).</summary>
    /// <param name="joined">Given by a dashboard: when it cannot be reached from here, say where the dashboard sets it.</param>
    internal static async Task<ServiceProvider> OpenAsync(RegistryConnection connection, bool joined, CancellationToken ct)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(connection)
            .BuildServiceProvider();
        try
        {
            await RegistryMigrator.MigrateAsync(services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<RegistryDbContext>>(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await services.DisposeAsync();
            throw new InvalidOperationException($"--registry: could not open {connection.Provider} registry '{connection.Display}': {e.Message}" +
                (joined ? " (the dashboard gave this address; when other machines cannot reach it, set PLaw:Registry:WorkerConnectionString " +
                          "on the dashboard to one they can)" : ""), e);
        }
        return services;
    }
}
