namespace PLaw.Registry.Runs;

/// <summary>
/// A training run. <see cref="OptionsJson"/> holds the full, immutable <c>RunOptions</c>; the model columns beside it are
/// copies for filtering and sorting thousands of runs without parsing JSON.
/// </summary>
public sealed class RunRecord
{
    public int Id { get; set; }
    /// <summary>Derived from the options (<c>RunOptions.DisplayName</c>).</summary>
    public required string Name { get; set; }
    public int? StudyId { get; set; }
    public int DatasetId { get; set; }
    public required string OptionsJson { get; set; }

    public required string Model { get; set; }
    public int Layers { get; set; }
    public int Dim { get; set; }
    public int MaxLength { get; set; }
    public required string Precision { get; set; }
    public int Seed { get; set; }
    public int Epochs { get; set; }

    public long EmbeddingParameters { get; set; }
    public long NonEmbeddingParameters { get; set; }

    public RunStatus Status { get; set; }
    /// <summary>Set by whoever asks (dashboard or CLI); the worker training the run sees it and stops at the end of the step.</summary>
    public bool CancelRequested { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? StartedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }
    public string? Error { get; set; }
    public string? CheckpointPath { get; set; }
    /// <summary>The machine (and process) that trained the run last.</summary>
    public string? Host { get; set; }
    /// <summary>How many times a worker has started it (re-queues and crash recoveries count).</summary>
    public int Attempts { get; set; }
    /// <summary>
    /// What trained it, as the last attempt's trainer reported it: the backend ("native", "torch"), the device ("cpu",
    /// "cuda:0") and how it computed (the GEMM and threads, or the libtorch version, threads and GPU). Null for runs not
    /// started yet and for runs trained before this was recorded (all native, on CPU).
    /// </summary>
    public string? Backend { get; set; }
    public string? Device { get; set; }
    public string? Compute { get; set; }

    public int EpochsDone { get; set; }
    public long StepsDone { get; set; }
    public double? LastLoss { get; set; }
    /// <summary>Final test metrics as JSON ({"HR@10": …}); the two most used copied out for sorting.</summary>
    public string? FinalMetricsJson { get; set; }
    public double? TestHr10 { get; set; }
    public double? TestNdcg10 { get; set; }

    /// <summary>Comma-separated, lower-case.</summary>
    public string Tags { get; set; } = "";
    public string? Note { get; set; }
}
