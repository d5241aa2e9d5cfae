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
    /// <summary>The worker holding the run's lease (<see cref="RunHolder.WorkerId"/>), or the last one that held it.</summary>
    public string? WorkerId { get; set; }
    /// <summary>The holder's last heartbeat.</summary>
    public DateTime? HeartbeatUtc { get; set; }
    /// <summary>
    /// When the holder's lease ends without another heartbeat (heartbeat + the holder's lease time); null when nobody holds
    /// the run. A running run whose lease has ended goes back to the queue (<see cref="RunCatalog.RecoverAbandonedAsync(CancellationToken)"/>).
    /// </summary>
    public DateTime? LeaseExpiresUtc { get; set; }
    /// <summary>
    /// The concurrency token: every change of the row adds one (the context on save, the claim and heartbeat in their SQL),
    /// and a change saves only where the row still has the version it was read with. So a cancel that read "queued" cannot
    /// overwrite a claim that came in between.
    /// </summary>
    public int Version { get; set; }
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
