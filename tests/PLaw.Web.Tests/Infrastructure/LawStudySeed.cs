using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>
/// A finished study whose test metrics follow known performance laws, written straight into a dashboard's registry file:
/// P(n, d) = s·(w1·φ(n; w3) + w2·φ(d; w4)) + b with φ(x; w) = −1/(2·x^w) − w·ln x, w3 = −1/3 and w4 = −1/6, so every metric
/// peaks inside the grid at n* = 2^(−1/w3) = 8 layers and d* = 2^(−1/w4) = 64; plus Gaussian noise of <see cref="Noise"/>.
/// The final test loss follows L(N) = E + (N₀/N)^α over the runs' non-embedding parameters.
/// </summary>
public static class LawStudySeed
{
    public static readonly int[] Layers = [1, 2, 4, 8, 12, 16];
    public static readonly int[] Dims = [16, 32, 64, 96, 128];
    public const double W3 = -1.0 / 3, W4 = -1.0 / 6;
    public const int OptimalLayers = 8, OptimalDim = 64;
    public const double Noise = 2e-5;
    public const double E = 3.0, N0 = 1e5, Alpha = 0.12;

    /// <summary>Scaling potential per family: HSTU larger in depth and width than SASRec, SASRec larger than LLaMA.</summary>
    public static readonly IReadOnlyDictionary<ModelFamily, (double W1, double W2)> Weights = new Dictionary<ModelFamily, (double, double)>
    {
        [ModelFamily.Hstu] = (0.7, 1.2),
        [ModelFamily.Sasrec] = (0.5, 0.8),
        [ModelFamily.Llama] = (0.3, 0.5),
    };

    /// <summary>Each family's best value as a share of the metric's peak (HSTU best).</summary>
    private static readonly IReadOnlyDictionary<ModelFamily, double> PeakShare = new Dictionary<ModelFamily, double>
    {
        [ModelFamily.Hstu] = 1.0, [ModelFamily.Sasrec] = 0.92, [ModelFamily.Llama] = 0.85,
    };

    /// <summary>Per metric: scale s of the weights and the best value (at the optimum) of the HSTU law.</summary>
    private static readonly (string Name, double Scale, double Peak)[] Metrics =
        [("NDCG@10", 1.0, 0.35), ("NDCG@50", 1.1, 0.42), ("HR@10", 1.6, 0.55), ("HR@50", 1.8, 0.78), ("MRR", 0.9, 0.30)];

    public static double Term(double x, double w) => -0.5 * Math.Pow(x, -w) - w * Math.Log(x);

    /// <summary>The generating w1 of a family for a metric (the scale is folded into the weights).</summary>
    public static (double W1, double W2) WeightsOf(ModelFamily family, string metric)
    {
        var s = Metrics.Single(m => m.Name == metric).Scale;
        return (s * Weights[family].W1, s * Weights[family].W2);
    }

    public static double Value(ModelFamily family, string metric, int layers, int dim)
    {
        var (_, scale, peak) = Metrics.Single(m => m.Name == metric);
        var (w1, w2) = Weights[family];
        var b = PeakShare[family] * peak - scale * (w1 * Term(OptimalLayers, W3) + w2 * Term(OptimalDim, W4));
        return scale * (w1 * Term(layers, W3) + w2 * Term(dim, W4)) + b;
    }

    /// <summary>
    /// Creates the study on the demo dataset (the dashboard must not train it: start it with PLaw__RunWorker=false) and completes
    /// every run, except those <paramref name="queued"/> leaves waiting and those <paramref name="failed"/> marks failed.
    /// </summary>
    public static async Task<int> SeedAsync(string registryPath, string name, IReadOnlyList<ModelFamily> families, int[] layers, int[] dims,
        Func<int, int, bool>? queued = null, Func<int, int, bool>? failed = null, int seed = 7, bool logLoss = false)
    {
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(registryPath).BuildServiceProvider();
        var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov")
                   ?? throw new InvalidOperationException("The dashboard did not seed its demo dataset.");
        var catalog = services.GetRequiredService<RunCatalog>();
        var grid = new StudyGrid { Base = new RunOptions { Epochs = 1, Threads = 1 }, Models = [.. families], Layers = layers, Dims = dims };
        var (study, runs) = await catalog.CreateStudyAsync(name, demo.Id, grid);
        var random = new Random(seed);
        foreach (var run in runs)
        {
            if (queued?.Invoke(run.Layers, run.Dim) == true) continue;
            if (failed?.Invoke(run.Layers, run.Dim) == true)
            {
                await catalog.UpdateAsync(run.Id, r => { r.Status = RunStatus.Failed; r.Error = "seeded failure"; r.FinishedUtc = DateTime.UtcNow; });
                continue;
            }
            var family = Enum.Parse<ModelFamily>(run.Model, ignoreCase: true);
            var metrics = Metrics.ToDictionary(m => m.Name, m => Value(family, m.Name, run.Layers, run.Dim) + Noise * Gaussian(random));
            metrics["loss"] = E + Math.Pow(N0 / run.NonEmbeddingParameters, Alpha) + Noise * Gaussian(random);
            if (logLoss) metrics["LogLoss"] = 0.7 - 0.01 * Math.Log(run.NonEmbeddingParameters);
            await catalog.UpdateAsync(run.Id, r =>
            {
                r.Status = RunStatus.Completed;
                r.EpochsDone = r.Epochs;
                r.FinishedUtc = DateTime.UtcNow;
                RunResults.SetTestMetrics(r, metrics);
            });
        }
        return study.Id;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>
/// A dashboard without its run worker (seeded runs stay as written) holding two seeded studies — the full grid over three
/// families and a three-run one the laws must refuse — and one browser; for the law pages.
/// </summary>
public sealed class LawStudyFixture : IAsyncLifetime
{
    private readonly BrowserFixture browser = new();

    public DashboardServer Server { get; private set; } = default!;
    public Microsoft.Playwright.IBrowser Browser => browser.Browser;
    public int StudyId { get; private set; }
    public int TinyStudyId { get; private set; }
    /// <summary>SASRec over the full grid with 8 × 64, 12 × 64 and 8 × 96 still queued and 16 × 128 failed.</summary>
    public int PartialStudyId { get; private set; }
    public static readonly (int Layers, int Dim)[] Untrained = [(8, 64), (12, 64), (8, 96)];

    public async Task InitializeAsync()
    {
        await browser.InitializeAsync();
        // The dashboard's worker would start training the queued runs before they are marked completed.
        Server = await DashboardServer.StartAsync(environment: new Dictionary<string, string> { ["PLaw__RunWorker"] = "false" });
        StudyId = await LawStudySeed.SeedAsync(Server.RegistryPath, "law-grid", [ModelFamily.Sasrec, ModelFamily.Hstu, ModelFamily.Llama],
            LawStudySeed.Layers, LawStudySeed.Dims);
        TinyStudyId = await LawStudySeed.SeedAsync(Server.RegistryPath, "law-tiny", [ModelFamily.Sasrec], [1, 2, 4], [32], logLoss: true);
        PartialStudyId = await LawStudySeed.SeedAsync(Server.RegistryPath, "law-partial", [ModelFamily.Sasrec], LawStudySeed.Layers, LawStudySeed.Dims,
            queued: (n, d) => Untrained.Contains((n, d)), failed: (n, d) => (n, d) == (16, 128));
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
    }

    /// <summary>A new browser context (a second person) on <paramref name="path"/>, once the circuit is interactive; <paramref name="dark"/>: the system prefers dark.</summary>
    public Task<Microsoft.Playwright.IPage> OpenAsync(string path, bool dark = false, int width = 1440) => browser.OpenAsync(Server.BaseUrl, path, dark, width, 1000);
}
