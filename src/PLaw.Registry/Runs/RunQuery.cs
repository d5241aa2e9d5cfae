using PLaw.Engine.Training;

namespace PLaw.Registry.Runs;

/// <summary>What the runs list may be sorted by; each maps to one indexed or cheaply sorted column of <c>Runs</c>.</summary>
public enum RunSort { Id, Name, Status, Model, Layers, Dim, MaxLength, Parameters, Loss, Hr10, Ndcg10, Created }

/// <summary>How runs can be grouped in the runs list's summary.</summary>
public enum RunGrouping { Study, Model, Dataset, Status }

/// <summary>
/// One page of the runs list: filters (all optional, combined with AND), a sort and a page. The database does the work, so a
/// page costs the same with 10 runs or 10,000.
/// </summary>
public sealed record RunQuery
{
    public const int MaxPageSize = 200;

    /// <summary>Matched case-insensitively inside the name, the tags or the host; a number also matches the run id.</summary>
    public string? Text { get; init; }
    public RunStatus? Status { get; init; }
    /// <summary>A family as stored ("sasrec").</summary>
    public string? Model { get; init; }
    public int? StudyId { get; init; }
    public RunSort Sort { get; init; } = RunSort.Id;
    public bool Descending { get; init; } = true;
    /// <summary>Zero-based; a page past the end gives the last page.</summary>
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;
}

/// <summary>A run in the runs list, with the protocol its test metrics were measured under (a ranking run's are its held-out
/// labelled impressions, whatever its Eval).</summary>
public sealed record RunListItem(RunSummary Run, EvalProtocol Eval, RunTask Task = RunTask.Retrieval);

/// <summary>The rows of one page, the number of runs matching the filters and the number of runs at all.</summary>
public sealed record RunPage(IReadOnlyList<RunListItem> Rows, int Matching, int Total, int Page, int PageSize)
{
    public int PageCount => Matching == 0 ? 1 : (Matching + PageSize - 1) / PageSize;
}

/// <summary>One group of the runs list's summary: its key (study id, family, dataset id or status), size and best test NDCG@10.</summary>
public sealed record RunGroup(string Key, int Runs, int Completed, double? BestNdcg10);

/// <summary>
/// A study with its runs counted by status and its best test NDCG@10, for the studies list; with early stopping (ASHA), how
/// many runs it stopped and the epochs they did not train (<see cref="EpochsSaved"/> of <see cref="EpochsPlanned"/>).
/// </summary>
public sealed record StudySummary(int Id, string Name, int DatasetId, DateTime CreatedUtc, string Tags,
    int Queued, int Running, int Completed, int Failed, int Cancelled, double? BestNdcg10,
    int StoppedEarly = 0, long EpochsPlanned = 0, long EpochsSaved = 0)
{
    public int Runs => Queued + Running + Completed + Failed + Cancelled + StoppedEarly;
}
