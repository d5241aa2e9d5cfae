using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry;
using PLaw.Registry.Accounts;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;

namespace PLaw.Queue.Tests.Checkpoints;

/// <summary>
/// <c>plaw worker --registry https://dashboard --token …</c> against a real dashboard process (issue #15): with an Admin's
/// worker token it gets the registry connection the dashboard gives its workers (PLaw:Registry:WorkerConnectionString) and
/// trains a queued run with its checkpoints in the registry; every other token, an unreachable address and a SQLite dashboard
/// are refused with a reason, and the token is never printed.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DashboardJoinTests(PostgresServer server)
{
    private const string AdminPassword = "admin-password-for-tests";

    private static Dictionary<string, string> SignIn(IDictionary<string, string>? more = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["PLaw__Auth__Mode"] = "SignIn",
            ["PLaw__Auth__BootstrapAdmin__Name"] = "admin",
            ["PLaw__Auth__BootstrapAdmin__Password"] = AdminPassword,
            // Only the joining worker trains: the dashboard's own worker is off.
            ["PLaw__RunWorker"] = "false",
            ["PLaw__SeedDemoData"] = "false",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>()) environment[key] = value;
        return environment;
    }

    private static ServiceProvider Accounts(RegistryConnection connection)
    {
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddPLawRegistry(connection);
        services.AddPLawAccounts();
        return services.BuildServiceProvider();
    }

    private static async Task<(int Code, string Output)> WorkerAsync(params string[] args)
    {
        await using var worker = new WorkerProcess(["worker", .. args]);
        var code = await worker.ExitCodeAsync(TimeSpan.FromMinutes(3));
        return (code, worker.Output);
    }

    [Fact]
    public async Task AnAdminsWorkerTokenJoinsAndTrainsEveryOtherIsRefusedWithTheReason()
    {
        await using var registry = await TestRegistry.CreateAsync(server);
        var dataset = await registry.StoreSmallDatasetAsync();
        var run = (await registry.Get<RunCatalog>().QueueAsync(dataset, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2, Threads = 1 })).Id;
        // What the dashboard gives workers: its own database under another connection string (here, another application name).
        var forWorkers = registry.Connection.ConnectionString + ";Application Name=plaw-remote-worker";
        await using var dashboard = await DashboardProcess.StartAsync(Path.Combine(registry.DataDirectory, "dashboard"), SignIn(new Dictionary<string, string>
        {
            ["PLaw__Registry__Provider"] = "Postgres",
            ["PLaw__Registry__ConnectionString"] = registry.Connection.ConnectionString,
            ["PLaw__Registry__WorkerConnectionString"] = forWorkers,
        }));
        await using var accounts = Accounts(registry.Connection);
        await accounts.GetRequiredService<UserAccounts>().CreateAsync("member", Roles.Member, "member-password-for-tests");
        var tokens = accounts.GetRequiredService<ApiTokens>();
        var worker = (await tokens.CreateAsync("admin", "gpu-1", TokenScope.Worker, null)).Secret;
        var write = (await tokens.CreateAsync("admin", "laptop", TokenScope.Write, null)).Secret;
        var membersWorker = (await tokens.CreateAsync("member", "gpu-2", TokenScope.Worker, null)).Secret;
        var unknown = ApiTokens.SecretPrefix + new string('x', 40);
        var url = dashboard.BaseUrl;

        var refusals = await Task.WhenAll(
            WorkerAsync("--registry", url, "--token", unknown),
            WorkerAsync("--registry", url, "--token", write),
            WorkerAsync("--registry", url, "--token", membersWorker),
            WorkerAsync("--registry", $"http://127.0.0.1:{DashboardProcess.FreePort()}", "--token", worker),
            WorkerAsync("--registry", url, "--token", "not-a-token"),
            WorkerAsync("--registry", "http://plaw.example.org:5080", "--token", worker));
        string[] reasons =
        [
            "refused the token (401)",
            "This token's scope is write; joining as a worker needs a token of scope worker",
            "its owner must be an Admin (member is not)",
            "connection refused",
            "--token: expected an API token starting with plaw_",
            "--registry http://plaw.example.org:5080: joining sends a worker token and receives the registry's password, so it needs https://",
        ];
        foreach (var ((code, output), reason) in refusals.Zip(reasons))
        {
            Assert.True(code == 2, $"expected exit 2 ({reason}), got {code}:\n{output}");
            Assert.True(output.Contains(reason, StringComparison.Ordinal), output);
            foreach (var secret in new[] { worker, write, membersWorker, unknown })
                Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
        Assert.Equal(RunStatus.Queued, (await registry.Get<RunCatalog>().FindAsync(run))!.Status);

        // The token from a file (a Docker secret), a data folder of its own: nothing shared with the dashboard but the database.
        var tokenFile = Path.Combine(registry.DataDirectory, "worker-token");
        await File.WriteAllTextAsync(tokenFile, worker + "\n");
        var (joinedCode, joined) = await WorkerAsync("--registry", url, "--token-file", tokenFile, "--until-empty",
            "--data-dir", Path.Combine(registry.DataDirectory, "remote-host"));
        Assert.True(joinedCode == 0, joined + "\n" + dashboard.Log);
        Assert.True(joined.Contains("Application Name=plaw-remote-worker", StringComparison.Ordinal), joined);
        Assert.True(joined.Contains("checkpoints in the registry", StringComparison.Ordinal), joined);
        Assert.DoesNotContain(worker, joined, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, (await registry.Get<RunCatalog>().FindAsync(run))!.Status);
        Assert.NotNull(await registry.Get<CheckpointStore>().FindAsync(run));
        var audit = await accounts.GetRequiredService<AuditLog>().ListAsync();
        Assert.Single(audit, a => a.Action == "worker joined" && a.Actor == "admin");
    }

    [Fact]
    public async Task ADashboardOnSqliteRefusesRemoteWorkers()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-join-sqlite-").FullName;
        try
        {
            string secret;
            await using (var dashboard = await DashboardProcess.StartAsync(folder, SignIn()))
            {
                await using (var accounts = Accounts(RegistryConnection.SqliteFile(Path.Combine(folder, "registry.db"))))
                    secret = (await accounts.GetRequiredService<ApiTokens>().CreateAsync("admin", "gpu-1", TokenScope.Worker, null)).Secret;
                var (code, output) = await WorkerAsync("--registry", dashboard.BaseUrl, "--token", secret);
                Assert.True(code == 2, output);
                Assert.True(output.Contains("(409)", StringComparison.Ordinal), output);
                Assert.True(output.Contains("registry is SQLite", StringComparison.Ordinal), output);
                Assert.True(output.Contains("need a PostgreSQL registry", StringComparison.Ordinal), output);
                Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
