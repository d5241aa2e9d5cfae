namespace PLaw.Registry.Checkpoints;

/// <summary>
/// One row of a run's checkpoint stored in the registry (<see cref="CheckpointStore"/>). Row 0 is the header: no bytes, the
/// file's length, SHA-256 and number of chunks. Rows 1…<see cref="Chunks"/> hold the file's bytes in order, at most
/// <see cref="CheckpointStore.ChunkBytes"/> each. A run has one checkpoint: a new one replaces every row in one transaction.
/// </summary>
public sealed class CheckpointChunkRecord
{
    public int RunId { get; set; }

    /// <summary>0 for the header; 1, 2, … for the chunks.</summary>
    public int Sequence { get; set; }

    /// <summary>The chunk's bytes; empty in the header.</summary>
    public byte[] Data { get; set; } = [];

    /// <summary>Header only: the whole file's length in bytes.</summary>
    public long? Length { get; set; }

    /// <summary>Header only: the whole file's SHA-256, lower-case hex.</summary>
    public string? Sha256 { get; set; }

    /// <summary>Header only: how many chunk rows follow it.</summary>
    public int? Chunks { get; set; }

    /// <summary>Header only: when the checkpoint was stored.</summary>
    public DateTime? SavedUtc { get; set; }
}
