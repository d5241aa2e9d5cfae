namespace PLaw.Registry.Runs;

/// <summary>
/// One logged value: (run, split, name, step) is the key, so a step re-done after a resume overwrites its first record
/// instead of duplicating it. Split is "train" (per-step loss, learning rate), "valid" or "test" (per-epoch metrics).
/// </summary>
public sealed class MetricPointRecord
{
    public int RunId { get; set; }
    public required string Split { get; set; }
    public required string Name { get; set; }
    public long Step { get; set; }
    public int Epoch { get; set; }
    /// <summary>Null for a value that was not a number (a diverged loss).</summary>
    public double? Value { get; set; }
    /// <summary>When the trainer produced it, unix milliseconds (UTC).</summary>
    public long TimeUnixMs { get; set; }
}
