namespace PLaw.Registry.Runs;

/// <summary>A run as the runs table, the hub and the CLI show it: everything but its options JSON and history.</summary>
public sealed record RunSummary(
    int Id, string Name, int? StudyId, int DatasetId, string Model, int Layers, int Dim, int MaxLength, string Precision, int Seed,
    RunStatus Status, int EpochsDone, int Epochs, long StepsDone, double? LastLoss, double? TestHr10, double? TestNdcg10,
    long EmbeddingParameters, long NonEmbeddingParameters, DateTime CreatedUtc, DateTime? StartedUtc, DateTime? FinishedUtc,
    string Tags, string? Error, string? Host)
{
    public double Progress => Epochs <= 0 ? 0 : Math.Clamp((double)EpochsDone / Epochs, 0, 1);

    public static RunSummary Of(RunRecord r) => new(r.Id, r.Name, r.StudyId, r.DatasetId, r.Model, r.Layers, r.Dim, r.MaxLength,
        r.Precision, r.Seed, r.Status, r.EpochsDone, r.Epochs, r.StepsDone, r.LastLoss, r.TestHr10, r.TestNdcg10,
        r.EmbeddingParameters, r.NonEmbeddingParameters, r.CreatedUtc, r.StartedUtc, r.FinishedUtc, r.Tags, r.Error, r.Host);
}
