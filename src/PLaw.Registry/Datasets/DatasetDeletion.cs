namespace PLaw.Registry.Datasets;

/// <summary>
/// What deleting a dataset takes with it (the registry cascades from a dataset to its studies, runs and their metric
/// points), so a confirmation can name it; <see cref="ActiveRuns"/> &gt; 0 means the delete is refused.
/// </summary>
/// <param name="RegistryCheckpoints">Runs with a checkpoint stored in the registry (Checkpoints.CheckpointStore); removed with their runs.</param>
public sealed record DatasetDeletion(int DatasetId, string Name, int Studies, int Runs, int ActiveRuns, long MetricPoints, int Checkpoints,
    int RegistryCheckpoints = 0)
{
    /// <summary>One sentence for a confirmation dialog: what is removed besides the dataset's sequences and entropy tables.</summary>
    public string Describe()
    {
        if (Runs == 0 && Studies == 0) return "No runs use it.";
        var parts = new List<string>();
        if (Studies > 0) parts.Add(Count(Studies, "study", "studies"));
        parts.Add($"{Count(Runs, "run", "runs")} trained on it with their {MetricPoints:N0} metric points");
        if (Checkpoints > 0) parts.Add($"{Count(Checkpoints, "checkpoint folder", "checkpoint folders")}");
        if (RegistryCheckpoints > 0) parts.Add($"{Count(RegistryCheckpoints, "checkpoint", "checkpoints")} in the registry");
        return "Also deleted: " + string.Join(", ", parts) + ".";
    }

    private static string Count(int n, string one, string many) => $"{n:N0} {(n == 1 ? one : many)}";
}

/// <summary>A dataset is not deleted while a run on it is queued or training: the run would fail on a vanished dataset.</summary>
public sealed class DatasetInUseException(string name, int activeRuns)
    : InvalidOperationException($"'{name}' has {activeRuns:N0} queued or running run{(activeRuns == 1 ? "" : "s")}; " +
                                "cancel or let them finish, then delete it.")
{
    public int ActiveRuns { get; } = activeRuns;
}
