using PLaw.Engine.Training;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;

namespace PLaw.Registry.Demo;

/// <summary>
/// A first study to try the dashboard with: SASRec at 3 depths × 3 widths on the demo dataset, evaluated by full ranking.
/// Nine real runs of a few seconds each on two cores — enough points for the performance law's seven parameters.
/// </summary>
public sealed class DemoStudy(RunCatalog catalog, DatasetCatalog datasets)
{
    public const string Name = "demo-scaling";

    public static StudyGrid Grid { get; } = new()
    {
        Base = new RunOptions
        {
            Model = ModelFamily.Sasrec, MaxLength = 50, Dropout = 0.2, Epochs = 12, EvalEvery = 3, Eval = EvalProtocol.Full, Seed = 42,
        },
        Layers = [1, 2, 4],
        Dims = [8, 16, 32],
    };

    /// <summary>Queues the demo study (a second call adds a numbered copy); null when the demo dataset was deleted.</summary>
    public async Task<StudyRecord?> QueueAsync(CancellationToken ct = default)
    {
        var demo = await datasets.FindByNameAsync(DemoDataset.Name, ct);
        if (demo is null) return null;
        var existing = (await catalog.StudiesAsync(ct)).Select(s => s.Name).ToHashSet();
        var name = Name;
        for (var i = 2; existing.Contains(name); i++) name = $"{Name}-{i}";
        return (await catalog.CreateStudyAsync(name, demo.Id, Grid, "demo", ct: ct)).Study;
    }
}
