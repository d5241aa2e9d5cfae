using PLaw.Engine.Training;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;

namespace PLaw.Registry.Demo;

/// <summary>
/// A first study to try the dashboard with: SASRec at 3 depths × 3 widths on the demo dataset, evaluated by full ranking.
/// Nine real runs of a few seconds each on two cores — more points than the performance law's seven parameters, so it fits.
/// </summary>
public sealed class DemoStudy(RunCatalog catalog, DemoDataset dataset)
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

    /// <summary>The demo study, when it has been queued.</summary>
    public Task<StudyRecord?> FindAsync(CancellationToken ct = default) => catalog.FindStudyAsync(Name, ct);

    /// <summary>
    /// Queues the demo study, storing the demo dataset again if it was deleted. Once there is a demo study it is not queued
    /// twice: the result then says so and names the existing one.
    /// </summary>
    public async Task<DemoStudyResult> QueueAsync(CancellationToken ct = default)
    {
        if (await FindAsync(ct) is { } existing) return new DemoStudyResult(existing, Created: false);
        var demoId = await dataset.EnsureAsync(ct);
        try
        {
            return new DemoStudyResult((await catalog.CreateStudyAsync(Name, demoId, Grid, "demo", ct: ct)).Study, Created: true);
        }
        catch (RunOptionsException)
        {
            // Queued meanwhile from another tab or the CLI: say so; anything else is a real problem.
            if (await FindAsync(ct) is { } raced) return new DemoStudyResult(raced, Created: false);
            throw;
        }
    }
}

/// <summary>The demo study and whether this call queued it (false: it was already there).</summary>
public sealed record DemoStudyResult(StudyRecord Study, bool Created);
