using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Accounts;
using PLaw.Registry.Storage;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Runs;
using PLaw.Tests.Common;

namespace PLaw.Queue.Tests.Deploy;

/// <summary>
/// docs/deploy.md walks a team from a bare host to a signed-in dashboard with GPU workers (issue #15: "the commands are
/// checked by a test where they can be"). Each step runs here as the guide writes it, with the guide's example hosts and
/// paths swapped for a real PostgreSQL server and temporary folders. What cannot run here: pulling and building the Docker
/// images (no Docker engine; the compose file is validated instead) and CUDA (a native run in a cuda slot trains on the CPU).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeployGuideTests(PostgresServer server)
{
    private const string GuideRegistry = "Host=db.internal;Database=plaw;Username=plaw";
    private static readonly RunOptions Tiny = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2, Threads = 1 };

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheSecretsStepWritesBothSecretsReadableByTheOwnerOnly()
    {
        var folder = await RunSecretsStepAsync();
        foreach (var name in new[] { "plaw-db-password", "plaw-admin-password" })
        {
            var file = Path.Combine(folder, "secrets", name);
            Assert.True(File.Exists(file), $"the secrets step did not write secrets/{name}");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.True(File.ReadAllText(file).Trim().Length >= 10, $"secrets/{name} is shorter than the admin password minimum (10)");
        }
    }

    [Fact]
    public async Task TheComposeStepsFileValidatesWithThoseSecretsAndItsWorkersScale()
    {
        var up = DeployGuide.Read().Command("docker compose up");
        var scale = Regex.Match(up, @"--scale worker=(\d+)");
        Assert.True(scale.Success && int.Parse(scale.Groups[1].Value) >= 2, $"the guide starts fewer than two workers: {up}");
        var secrets = Path.Combine(await RunSecretsStepAsync(), "secrets");
        var environment = new Dictionary<string, string>
        {
            ["PLAW_DB_PASSWORD_FILE"] = Path.Combine(secrets, "plaw-db-password"),
            ["PLAW_ADMIN_PASSWORD_FILE"] = Path.Combine(secrets, "plaw-admin-password"),
        };
        var config = await ComposeAsync(environment, "config");
        Assert.Contains(environment["PLAW_DB_PASSWORD_FILE"], config, StringComparison.Ordinal);
        Assert.Equal(["dashboard", "postgres", "worker"], (await ComposeAsync(environment, "config", "--services")).Split('\n',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order());
        // --scale needs a worker without a fixed name or host port.
        var worker = Regex.Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "docker-compose.yml")), @"\n  worker:\n(.*?)(\n  \S|\n\S|$)", RegexOptions.Singleline);
        Assert.True(worker.Success, "docker-compose.yml has no worker service");
        Assert.DoesNotContain("container_name:", worker.Groups[1].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("ports:", worker.Groups[1].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardWithoutDockerStartsOnPostgresTheAdminSignsInAndTwoGuideWorkersTrainItsRuns()
    {
        await using var registry = await TestRegistry.CreateAsync(server);
        var guide = DeployGuide.Read();
        var etc = Directory.CreateTempSubdirectory("plaw-deploy-etc-").FullName;
        const string AdminPassword = "a-long-admin-password-for-the-test";
        File.WriteAllText(Path.Combine(etc, "db-password"), "trust-auth-ignores-it");
        File.WriteAllText(Path.Combine(etc, "admin-password"), AdminPassword);
        var port = DashboardProcess.FreePort();

        var block = guide.BlockWith("dotnet run -c Release --project src/PLaw.Web");
        var exports = DeployGuide.Exports(block).ToDictionary(e => e.Key, e => e.Value
            .Replace(GuideRegistry, registry.Connection.ConnectionString, StringComparison.Ordinal)
            .Replace("/etc/plaw", etc, StringComparison.Ordinal)
            .Replace("/srv/plaw", registry.DataDirectory, StringComparison.Ordinal));
        Assert.Equal("Postgres", exports.GetValueOrDefault("PLaw__Registry__Provider"));
        Assert.Equal(registry.Connection.ConnectionString, exports.GetValueOrDefault("PLaw__Registry__ConnectionString"));
        Assert.Equal(Path.Combine(etc, "admin-password"), exports.GetValueOrDefault("PLaw__Auth__BootstrapAdmin__PasswordFile"));
        var run = block.Single(c => c.StartsWith("dotnet run", StringComparison.Ordinal));
        const string Project = "dotnet run -c Release --project src/PLaw.Web -- ";
        Assert.StartsWith(Project, run, StringComparison.Ordinal);
        var arguments = DeployGuide.Words(DeployGuide.Substitute(run[Project.Length..], new Dictionary<string, string> { [":5090"] = $":{port}" }));

        // `dotnet run` of that project: its build with the launch profile's environment (Development).
        await using var dashboard = new DashboardProcess(arguments, new Dictionary<string, string>(exports) { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        try
        {
            var cookies = new CookieContainer();
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
                { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await dashboard.WaitHealthyAsync($"http://127.0.0.1:{port}");

            // Sign in as the bootstrap admin, as a browser posts the sign-in form.
            var form = await http.GetStringAsync("/account/signin");
            var token = Regex.Match(form, "<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
            Assert.True(token.Success, "the sign-in page has no antiforgery token");
            var signIn = await http.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = exports["PLaw__Auth__BootstrapAdmin__Name"], ["password"] = AdminPassword,
                ["__RequestVerificationToken"] = token.Groups[1].Value, ["returnUrl"] = "/",
            }));
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.Equal("/", signIn.Headers.Location?.OriginalString);
            var me = await http.GetFromJsonAsync<JsonElement>("/api/whoami");
            Assert.Equal((exports["PLaw__Auth__BootstrapAdmin__Name"], "Admin", "signin"),
                (me.GetProperty("name").GetString(), me.GetProperty("role").GetString(), me.GetProperty("mode").GetString()));

            // Two workers, each started by the guide's command on a host of its own (its own data folder).
            var dataset = await registry.StoreSmallDatasetAsync();
            var catalog = registry.Get<RunCatalog>();
            var runs = new List<int>();
            for (var i = 0; i < 4; i++) runs.Add((await catalog.QueueAsync(dataset, Tiny with { Seed = i })).Id);
            // Step 5's two workers, each on a host of its own (its own data folder): one joins through the dashboard with an
            // admin's worker token (created as the Tokens page does), one is given the database.
            await using (var accounts = Accounts(registry.Connection))
                File.WriteAllText(Path.Combine(etc, "worker-token"),
                    (await accounts.GetRequiredService<ApiTokens>().CreateAsync(exports["PLaw__Auth__BootstrapAdmin__Name"], "gpu-1", TokenScope.Worker, null)).Secret);
            var joining = DeployGuide.Substitute(guide.Command("plaw worker --registry https://"), new Dictionary<string, string>
            {
                ["https://plaw.example.org"] = $"http://127.0.0.1:{port}",
                ["/etc/plaw/worker-token"] = Path.Combine(etc, "worker-token"),
                ["/var/lib/plaw"] = Directory.CreateTempSubdirectory("plaw-deploy-host-").FullName,
            });
            var direct = DeployGuide.Substitute(guide.Command("plaw worker --registry \"Host="), new Dictionary<string, string>
            {
                [GuideRegistry] = registry.Connection.ConnectionString,
                ["/etc/plaw/db-password"] = Path.Combine(etc, "db-password"),
                ["/mnt/plaw"] = Directory.CreateTempSubdirectory("plaw-deploy-host-").FullName,
            });
            var workers = new[] { joining, direct }.Select(command => new WorkerProcess([.. DeployGuide.Words(command).Skip(1), "--until-empty"])).ToList();
            try
            {
                foreach (var worker in workers) Assert.True(await worker.ExitCodeAsync(TimeSpan.FromMinutes(4)) == 0, worker.Output);
            }
            finally
            {
                foreach (var worker in workers) await worker.DisposeAsync();
            }
            foreach (var id in runs)
            {
                var status = (await http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}")).GetProperty("run").GetProperty("status");
                Assert.Equal(RunStatus.Completed, status.ValueKind == JsonValueKind.Number
                    ? (RunStatus)status.GetInt32() : Enum.Parse<RunStatus>(status.GetString()!, ignoreCase: true));
            }
        }
        finally
        {
            Directory.Delete(etc, recursive: true);
        }
    }

    private static ServiceProvider Accounts(RegistryConnection connection)
    {
        var services = new ServiceCollection().AddLogging().AddPLawRegistry(connection);
        services.AddPLawAccounts();
        return services.BuildServiceProvider();
    }

    /// <summary>Runs the guide's secrets step in a new folder (the clone); returns the folder.</summary>
    private static async Task<string> RunSecretsStepAsync()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-deploy-clone-").FullName;
        var script = string.Join('\n', DeployGuide.Read().BlockWith("secrets/plaw-db-password"));
        var (code, output) = await ShellAsync("bash", ["-euo", "pipefail", "-c", script], folder, new Dictionary<string, string>());
        Assert.True(code == 0, $"the secrets step failed ({code}):\n{script}\n{output}");
        return folder;
    }

    /// <summary><c>docker compose</c> (the Compose plugin) or <c>docker-compose</c> (Debian's package), in the repository.</summary>
    private static async Task<string> ComposeAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (plugin, _) = await ShellAsync("docker", ["compose", "version"], RepoPaths.Root, environment);
        var (code, output) = plugin == 0
            ? await ShellAsync("docker", ["compose", .. arguments], RepoPaths.Root, environment)
            : await ShellAsync("docker-compose", arguments, RepoPaths.Root, environment);
        Assert.True(code == 0, $"compose {string.Join(' ', arguments)} failed ({code}):\n{output}");
        return output;
    }

    private static async Task<(int Code, string Output)> ShellAsync(string file, IReadOnlyList<string> arguments, string directory,
        IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, arguments)
            { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"{file}: {e.Message}");
        }
    }
}
