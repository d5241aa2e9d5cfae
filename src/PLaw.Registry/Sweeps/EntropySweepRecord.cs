namespace PLaw.Registry.Sweeps;

/// <summary>
/// An entropy sweep: Markov datasets that differ only in entropy rate, each with its entropy table and one study over the same
/// grid. The datasets and studies are ordinary registry rows; this record ties them together (<see cref="MembersJson"/>).
/// </summary>
public sealed class EntropySweepRecord
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The <see cref="EntropySweepRequest"/> as JSON.</summary>
    public required string RequestJson { get; set; }
    /// <summary>The <see cref="EntropySweepMember"/> list as JSON, one per target rate, in the request's order.</summary>
    public required string MembersJson { get; set; }
    /// <summary>"generating" while datasets and tables are made, "queued" once every study is queued (training state is the runs').</summary>
    public required string Phase { get; set; }
    public DateTime CreatedUtc { get; set; }
}

/// <summary>One dataset of a sweep: the rate asked for, the concentration that reached it, the chain's true rate, and its rows.</summary>
public sealed record EntropySweepMember(double TargetBits, double Concentration, double TrueRateBits, int DatasetId, string DatasetName, int? StudyId);

public static class EntropySweepPhase
{
    public const string Generating = "generating";
    public const string Queued = "queued";
}
