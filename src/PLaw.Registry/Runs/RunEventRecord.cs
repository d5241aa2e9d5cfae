namespace PLaw.Registry.Runs;

/// <summary>A line of a run's event log: queued, started on a host, resumed from a checkpoint, Adam→SGD switch, failed, ….</summary>
public sealed class RunEventRecord
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public DateTime TimeUtc { get; set; }
    public required string Text { get; set; }
}
