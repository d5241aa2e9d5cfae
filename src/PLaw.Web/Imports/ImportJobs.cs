using PLaw.Data.Import;
using PLaw.Registry.Accounts;
using PLaw.Registry.Datasets;

namespace PLaw.Web.Imports;

/// <summary>
/// Runs dataset imports in the background (so they outlive the page that started them) and tells subscribers when any
/// job moves. Subscribers get an <see cref="IDisposable"/> and are called at most a few times a second per job.
/// </summary>
public sealed class ImportJobs(DatasetCatalog catalog, AuditLog audit, ILogger<ImportJobs> logger)
{
    private static readonly TimeSpan NotifyInterval = TimeSpan.FromMilliseconds(200);
    private readonly List<ImportJob> jobs = [];
    private readonly List<Func<Task>> subscribers = [];
    private readonly Lock gate = new();
    private int nextId;

    public IReadOnlyList<ImportJob> Recent
    {
        get { lock (gate) return jobs.OrderByDescending(j => j.Id).Take(20).ToList(); }
    }

    /// <summary>
    /// Starts importing for <paramref name="startedBy"/> (the audit entry of the new dataset names them);
    /// <paramref name="deleteWhenDone"/> is a temporary upload file removed afterwards.
    /// </summary>
    public ImportJob Start(DatasetImportRequest request, string startedBy, string? deleteWhenDone = null)
    {
        ImportJob job;
        lock (gate)
        {
            job = new ImportJob(++nextId, request, startedBy);
            jobs.Add(job);
        }
        _ = Task.Run(() => RunAsync(job, deleteWhenDone));
        Notify();
        return job;
    }

    /// <summary>
    /// Drops the finished imports that made dataset <paramref name="datasetId"/> (called once it is deleted), so no list
    /// keeps offering a link to a dataset that is gone; every subscriber is told.
    /// </summary>
    public int Forget(int datasetId)
    {
        int removed;
        lock (gate) removed = jobs.RemoveAll(j => j.Status != ImportJobStatus.Running && j.DatasetId == datasetId);
        if (removed > 0) Notify();
        return removed;
    }

    public IDisposable Subscribe(Func<Task> onChange)
    {
        lock (gate) subscribers.Add(onChange);
        return new Subscription(this, onChange);
    }

    private async Task RunAsync(ImportJob job, string? deleteWhenDone)
    {
        var lastNotified = DateTime.MinValue;
        var progress = new Progress<DatasetImportProgress>(p =>
        {
            if (job.Status != ImportJobStatus.Running) return;
            job.Progress = p;
            if (DateTime.UtcNow - lastNotified < NotifyInterval) return;
            lastNotified = DateTime.UtcNow;
            Notify();
        });
        var (status, error, record) = await ImportAsync(job, progress);
        // The upload is gone before anyone is told the job ended.
        if (deleteWhenDone is not null) File.Delete(deleteWhenDone);
        job.Error = error;
        if (record is not null)
        {
            job.DatasetId = record.Id;
            job.Progress = new DatasetImportProgress("done", 1, $"{record.Users:N0} users, {record.Items:N0} items, {record.Interactions:N0} interactions");
            await RecordAsync(job, record);
        }
        job.Status = status;
        Notify();
    }

    private async Task<(ImportJobStatus, string?, DatasetRecord?)> ImportAsync(ImportJob job, IProgress<DatasetImportProgress> progress)
    {
        try
        {
            // WaitAsync: Cancel answers at once even when the reader is stuck in a system call (a file that turned into a
            // pipe after it was checked); the import's own token stops it at its next check.
            var import = catalog.ImportAsync(job.Request, progress, job.Cancellation.Token);
            return (ImportJobStatus.Completed, null, await import.WaitAsync(job.Cancellation.Token));
        }
        catch (OperationCanceledException)
        {
            return (ImportJobStatus.Cancelled, null, null);
        }
        catch (Exception e) when (e is DataFormatException or InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Import {ImportJob} of {ImportPath} failed: {Error}", job.Id, job.Request.Path, e.Message);
            return (ImportJobStatus.Failed, Shown(job.Request, e.Message), null);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Import {ImportJob} of {ImportPath} failed", job.Id, job.Request.Path);
            return (ImportJobStatus.Failed, Shown(job.Request, e.Message), null);
        }
    }

    /// <summary>The dataset exists whatever happens to its audit entry: a failure to write one is logged, not thrown.</summary>
    private async Task RecordAsync(ImportJob job, DatasetRecord record)
    {
        var source = job.Request.SourceLabel is { } label && label.StartsWith(UploadLabelPrefix, StringComparison.Ordinal)
            ? $"uploaded {label[UploadLabelPrefix.Length..]}"
            : $"from {record.Source}";
        try
        {
            await audit.WriteAsync(job.StartedBy, AuditActions.Imported, AuditSubjects.Dataset, record.Id,
                $"{record.Name} {source}: {job.Progress.Detail}");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not write the audit entry of import {ImportJob} (dataset {DatasetId})", job.Id, record.Id);
        }
    }

    /// <summary>
    /// An error as the page shows it: an upload's messages name the file the user chose, not the server's temporary copy
    /// (its folder is the server's business; the log keeps the full path).
    /// </summary>
    internal static string Shown(DatasetImportRequest request, string message) =>
        request.SourceLabel is { } label && label.StartsWith(UploadLabelPrefix, StringComparison.Ordinal)
            ? message.Replace(request.Path, label[UploadLabelPrefix.Length..], StringComparison.Ordinal)
            : message;

    /// <summary>An upload's source label: <c>upload:</c> and the name of the file the browser sent.</summary>
    public const string UploadLabelPrefix = "upload:";

    private void Notify()
    {
        Func<Task>[] targets;
        lock (gate) targets = [.. subscribers];
        foreach (var target in targets)
            _ = target();
    }

    private sealed class Subscription(ImportJobs owner, Func<Task> onChange) : IDisposable
    {
        public void Dispose()
        {
            lock (owner.gate) owner.subscribers.Remove(onChange);
        }
    }
}
