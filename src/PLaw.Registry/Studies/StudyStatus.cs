using PLaw.Registry.Runs;

namespace PLaw.Registry.Studies;

public static class StudyStatus
{
    /// <summary>
    /// A study's status from its runs': running while any run trains or waits, then failed if any failed, cancelled if
    /// every run was cancelled, else completed (runs stopped early by the study's ASHA rule count as done).
    /// </summary>
    public static RunStatus RollUp(IEnumerable<RunStatus> runs)
    {
        var statuses = runs.ToList();
        if (statuses.Count == 0) return RunStatus.Completed;
        if (statuses.Contains(RunStatus.Running)) return RunStatus.Running;
        if (statuses.Contains(RunStatus.Queued)) return statuses.Any(s => s.IsFinished()) ? RunStatus.Running : RunStatus.Queued;
        if (statuses.Contains(RunStatus.Failed)) return RunStatus.Failed;
        if (statuses.All(s => s == RunStatus.Cancelled)) return RunStatus.Cancelled;
        return RunStatus.Completed;
    }
}
