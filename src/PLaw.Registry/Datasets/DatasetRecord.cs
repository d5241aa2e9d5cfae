using PLaw.Registry.Entropy;

namespace PLaw.Registry.Datasets;

/// <summary>A dataset in the registry: where it came from, how it was read, and its size after preprocessing.</summary>
public sealed class DatasetRecord
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The file the data was read from (a path, "upload:file name", or "synthetic").</summary>
    public required string Source { get; set; }
    public required string Format { get; set; }
    /// <summary>The import and preprocessing options as JSON, so the import can be repeated.</summary>
    public required string OptionsJson { get; set; }
    /// <summary>What the importer counted (lines, duplicates, k-core removals) as JSON.</summary>
    public required string StatisticsJson { get; set; }
    public int Users { get; set; }
    public int Items { get; set; }
    public long Interactions { get; set; }
    /// <summary>SHA-256 of the stored sequences (lower-case hex).</summary>
    public required string Checksum { get; set; }
    public DateTime CreatedUtc { get; set; }
    /// <summary>When the dataset was deleted (it is restorable until an admin purges it); null while it is live.</summary>
    public DateTime? DeletedUtc { get; set; }
    /// <summary>Who deleted it (a user name, <c>local</c> or <c>cli:&lt;OS user&gt;</c>).</summary>
    public string? DeletedBy { get; set; }

    public DatasetSequences? Sequences { get; set; }
    public List<EntropyReportRecord> EntropyReports { get; set; } = [];
}

/// <summary>A dataset's sequences as one compact blob (PLaw.Data.Storage format), kept apart so listing datasets never loads it.</summary>
public sealed class DatasetSequences
{
    public int DatasetId { get; set; }
    public required byte[] Data { get; set; }
}
