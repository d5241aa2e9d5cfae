using PLaw.Registry.Datasets;

namespace PLaw.Web.Imports;

public enum ImportJobStatus { Running, Completed, Failed, Cancelled }

/// <summary>One dataset import running in the background; the dashboard shows its progress and can cancel it.</summary>
public sealed class ImportJob
{
    internal ImportJob(int id, DatasetImportRequest request, string startedBy)
    {
        Id = id;
        Request = request;
        StartedBy = startedBy;
    }

    public int Id { get; }
    public DatasetImportRequest Request { get; }
    /// <summary>Who started it; the audit entry of the new dataset names them.</summary>
    public string StartedBy { get; }
    public ImportJobStatus Status { get; internal set; } = ImportJobStatus.Running;
    public DatasetImportProgress Progress { get; internal set; } = new("queued", 0, "");
    public string? Error { get; internal set; }
    public int? DatasetId { get; internal set; }
    public DateTime StartedUtc { get; } = DateTime.UtcNow;
    internal CancellationTokenSource Cancellation { get; } = new();

    public void Cancel() => Cancellation.Cancel();
}
