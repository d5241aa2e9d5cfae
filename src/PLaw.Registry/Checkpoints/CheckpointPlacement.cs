using PLaw.Registry.Storage;

namespace PLaw.Registry.Checkpoints;

/// <summary>Where workers keep runs' checkpoints (PLaw:Checkpoints, <c>plaw worker --checkpoints</c>).</summary>
public enum CheckpointHome
{
    /// <summary>Under the worker's own data folder (runs/run-N): only that host resumes the run.</summary>
    Local,
    /// <summary>In the registry, chunked (<see cref="CheckpointStore"/>), with a copy under the worker's data folder while it trains.</summary>
    Registry,
    /// <summary>In a folder every worker mounts at the same path (NFS, a cluster file system).</summary>
    SharedDirectory,
}

/// <summary>
/// The setting resolved: <c>registry</c>, <c>local</c>, or a folder. Unset, checkpoints go in the registry when it is
/// PostgreSQL (workers on other machines reach it) and stay local on SQLite (one machine; the file is beside the registry).
/// </summary>
public sealed record CheckpointPlacement(CheckpointHome Home, string Directory)
{
    public const string RegistryValue = "registry";
    public const string LocalValue = "local";

    public bool InRegistry => Home == CheckpointHome.Registry;

    /// <param name="setting">PLaw:Checkpoints or --checkpoints: registry, local, or a folder; null or blank for the default.</param>
    /// <param name="runsDirectory">The worker's own runs folder (its data folder's runs/): local checkpoints and the registry's copies.</param>
    public static CheckpointPlacement Resolve(string? setting, RegistryProvider provider, string runsDirectory)
    {
        var text = setting?.Trim();
        if (string.IsNullOrEmpty(text))
            return new(provider == RegistryProvider.Postgres ? CheckpointHome.Registry : CheckpointHome.Local, runsDirectory);
        if (string.Equals(text, RegistryValue, StringComparison.OrdinalIgnoreCase)) return new(CheckpointHome.Registry, runsDirectory);
        if (string.Equals(text, LocalValue, StringComparison.OrdinalIgnoreCase)) return new(CheckpointHome.Local, runsDirectory);
        string folder;
        try
        {
            folder = Path.GetFullPath(text);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"PLaw:Checkpoints (--checkpoints): '{text}' is neither registry, local nor a folder path ({e.Message}).");
        }
        return new(CheckpointHome.SharedDirectory, folder);
    }

    /// <summary>The run's checkpoint file on this host (for <see cref="CheckpointHome.Registry"/>, the working copy).</summary>
    public string PathFor(int runId) => Path.Combine(Directory, $"run-{runId}", "checkpoint.bin");

    public string Describe() => Home switch
    {
        CheckpointHome.Registry => $"checkpoints in the registry (working copies under {Directory})",
        CheckpointHome.SharedDirectory => $"checkpoints in the shared folder {Directory}",
        _ => $"checkpoints under {Directory} (this host only)",
    };
}
