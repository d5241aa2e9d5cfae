using System.ComponentModel.DataAnnotations;

namespace PLaw.Registry;

/// <summary>Where the registry keeps its files; bound from the "PLaw" configuration section (or PLAW_* environment variables).</summary>
public sealed class PLawOptions
{
    public const string Section = "PLaw";

    /// <summary>Folder of the SQLite registry and run artefacts. Default: $PLAW_DATA_DIR, else $XDG_DATA_HOME/plaw, else ~/.local/share/plaw.</summary>
    [Required]
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>The registry's database: SQLite under the data directory by default, or PostgreSQL (PLaw:Registry:Provider,
    /// PLaw:Registry:ConnectionString). Run artefacts (checkpoints) stay under <see cref="RunsDirectory"/>.</summary>
    public Storage.RegistryOptions Registry { get; set; } = new();

    /// <summary>
    /// Where workers keep run checkpoints: <c>registry</c> (chunked in the registry database, reached by every worker),
    /// <c>local</c> (under <see cref="RunsDirectory"/>, this host only) or a folder every worker mounts at the same path.
    /// Unset: registry on PostgreSQL, local on SQLite (<see cref="Checkpoints.CheckpointPlacement"/>).
    /// </summary>
    public string? Checkpoints { get; set; }

    /// <summary>Server-side folder that path imports may read from; a path outside it is refused. Default: {DataDirectory}/imports.</summary>
    public string? ImportRoot { get; set; }

    /// <summary>Store the built-in synthetic demo dataset (and its entropy table) when the registry has no datasets.</summary>
    public bool SeedDemoData { get; set; } = true;

    /// <summary>Largest upload the dashboard accepts, in bytes (default 512 MiB; larger logs go in the import root).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 512L << 20;

    /// <summary>Train queued runs in this process (the dashboard does by default; tests and read-only replicas turn it off).</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>How many runs train at once; each uses its own <c>Threads</c> (default: one run on both cores).</summary>
    [Range(1, 64)]
    public int MaxConcurrentRuns { get; set; } = 1;

    /// <summary>
    /// Training devices, comma-separated (e.g. <c>cuda:0,cuda:1</c>): the worker then trains one run per device at once,
    /// and a run whose device is <c>auto</c> gets a free one. Unset: <see cref="MaxConcurrentRuns"/> runs, each on its own device.
    /// </summary>
    public string? Devices { get; set; }

    /// <summary>The devices of <see cref="Devices"/>, trimmed; empty when unset.</summary>
    public IReadOnlyList<string> DeviceList =>
        (Devices ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>How often the worker looks for queued runs and cancel requests made by other processes (the CLI).</summary>
    [Range(50, 60_000)]
    public int QueuePollMilliseconds { get; set; } = 1000;

    /// <summary>Metric points are written and broadcast in batches at most this often per run.</summary>
    [Range(20, 10_000)]
    public int MetricFlushMilliseconds { get; set; } = 250;

    /// <summary>
    /// How long a worker holds a run without a heartbeat (it renews every third of it while training). When a worker dies,
    /// its runs go back to the queue this long after its last heartbeat; a live worker's runs are never taken from it.
    /// </summary>
    [Range(300, 3_600_000)]
    public int LeaseMilliseconds { get; set; } = 30_000;

    public string RunsDirectory => Path.Combine(Path.GetFullPath(DataDirectory), "runs");

    public string RegistryPath => Path.Combine(Path.GetFullPath(DataDirectory), "registry.db");

    public string ResolvedImportRoot => Path.GetFullPath(ImportRoot ?? Path.Combine(DataDirectory, "imports"));

    public static string DefaultDataDirectory()
    {
        var explicitDirectory = Environment.GetEnvironmentVariable("PLAW_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(explicitDirectory)) return explicitDirectory;
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDirectory = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(baseDirectory, "plaw");
    }
}
