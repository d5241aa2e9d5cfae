namespace PLaw.Registry.Runs;

/// <summary>
/// A run's life: queued → running → completed | failed | cancelled | stopped early; failed and cancelled runs can be re-queued.
/// A run stopped early was stopped by its study's early-stopping rule (ASHA) at a rung; it keeps its partial curves and checkpoint.
/// </summary>
public enum RunStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    /// <summary>Stored as "StoppedEarly" (12 characters, the column's limit).</summary>
    StoppedEarly,
}

public static class RunStatusExtensions
{
    public static bool IsFinished(this RunStatus status) => status is RunStatus.Completed or RunStatus.Failed or RunStatus.Cancelled or RunStatus.StoppedEarly;

    /// <summary>"stopped early" rather than "stoppedearly": the word a person reads.</summary>
    public static string Label(this RunStatus status) => status == RunStatus.StoppedEarly ? "stopped early" : status.ToString().ToLowerInvariant();
}
