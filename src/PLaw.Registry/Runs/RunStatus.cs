namespace PLaw.Registry.Runs;

/// <summary>A run's life: queued → running → completed | failed | cancelled; failed and cancelled runs can be re-queued.</summary>
public enum RunStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

public static class RunStatusExtensions
{
    public static bool IsFinished(this RunStatus status) => status is RunStatus.Completed or RunStatus.Failed or RunStatus.Cancelled;
}
