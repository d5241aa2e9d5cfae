namespace PLaw.Registry.Workers;

/// <summary>A worker's state as seen now: live while its lease runs, lost once its lease has passed without a heartbeat
/// (killed, hung, its machine or network gone), stopped when it shut down gracefully.</summary>
public enum WorkerState
{
    Live,
    Lost,
    Stopped,
}

public static class WorkerStates
{
    public static WorkerState Of(WorkerRecord worker, DateTime now) =>
        worker.StoppedUtc is not null ? WorkerState.Stopped
        : worker.LeaseExpiresUtc < now ? WorkerState.Lost
        : WorkerState.Live;

    /// <summary>Lower-case, as URLs, JSON and the CLI spell it.</summary>
    public static string Label(this WorkerState state) => state switch
    {
        WorkerState.Live => "live",
        WorkerState.Lost => "lost",
        _ => "stopped",
    };

    /// <summary>The state named <paramref name="text"/> ("live", "lost", "stopped"; any case), or null.</summary>
    public static WorkerState? Parse(string? text) =>
        Enum.GetValues<WorkerState>().Select(s => (WorkerState?)s).FirstOrDefault(s => string.Equals(s!.Value.Label(), text?.Trim(), StringComparison.OrdinalIgnoreCase));
}
