using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PLaw.Queue.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server from Debian's package for the tests that need one: initdb into a temporary folder, pg_ctl start
/// on a free port (loopback only, trust authentication), one fresh database per registry, stopped and deleted at the end.
/// Nothing is skipped: without the binaries the tests fail and say how to get them.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string folder = "";
    private int port;

    /// <summary>The server's binaries: Debian's postgresql package puts them in /usr/lib/postgresql/VERSION/bin.</summary>
    public static string BinDirectory { get; } = FindBinaries();

    private string Data => Path.Combine(folder, "data");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
            throw new InvalidOperationException($"PostgreSQL's server binaries are missing ({BinDirectory}/initdb): test.sh installs " +
                                                "Debian's postgresql package (apt-get install postgresql) before the tests.");
        folder = Directory.CreateTempSubdirectory("plaw-postgres-").FullName;
        // initdb and postgres refuse to run as root: as root (CI, containers) they run as Debian's postgres user.
        if (Environment.UserName == "root") await RunAsync("chown", ["-R", "postgres:postgres", folder]);
        await RunPostgresToolAsync("initdb", ["-D", Data, "-U", "plaw", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
        port = FreePort();
        // fsync off: the data is thrown away after the tests; everything else is a stock server.
        var settings = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=500 -c fsync=off -c full_page_writes=off";
        await RunPostgresToolAsync("pg_ctl", ["-D", Data, "-o", settings, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "120", "start"]);
    }

    /// <summary>A connection string to a new, empty database on the server.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"plaw_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={port};Username=plaw;Database={database};Maximum Pool Size=20;Timeout=30;Command Timeout=60";

    public async Task DisposeAsync()
    {
        if (folder.Length == 0) return;
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
            await RunPostgresToolAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]);
        Directory.Delete(folder, recursive: true);
    }

    private static string FindBinaries()
    {
        const string Root = "/usr/lib/postgresql";
        var versions = Directory.Exists(Root)
            ? Directory.GetDirectories(Root).Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).ToList()
            : [];
        return versions.Count > 0 ? Path.Combine(versions[0], "bin") : Path.Combine(Root, "15", "bin");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunPostgresToolAsync(string tool, IReadOnlyList<string> args) => Environment.UserName == "root"
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, tool), .. args])
        : RunAsync(Path.Combine(BinDirectory, tool), args);

    private async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(folder, "server.log");
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}\n{await error}" +
                                                (File.Exists(log) ? $"\nserver.log:\n{File.ReadAllText(log)}" : ""));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}
