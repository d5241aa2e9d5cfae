namespace PLaw.Registry.Entropy;

/// <summary>One cached row of a dataset's entropy table, keyed by (dataset, L, m, r, variant).</summary>
public sealed class EntropyReportRecord
{
    public int Id { get; set; }
    public int DatasetId { get; set; }
    public int MaxLen { get; set; }
    public int M { get; set; }
    public int R { get; set; }
    /// <summary>Version of the estimator set that produced the row; a change of definitions gets a new variant.</summary>
    public required string Variant { get; set; }
    /// <summary>The <see cref="PLaw.Entropy.EntropyRow"/> as camelCase JSON.</summary>
    public required string RowJson { get; set; }
    public double ComputeMilliseconds { get; set; }
    public DateTime CreatedUtc { get; set; }
}
