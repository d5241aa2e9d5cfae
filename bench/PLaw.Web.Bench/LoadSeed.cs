using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Data.Synthetic;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Demo;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Registry.Studies;

/// <summary>
/// The registry the runs-page load benchmark opens: exactly 10,000 runs and 1,000,000 metric points, written through the
/// registry's own code (migrations, dataset catalog, study and run queueing, metric store), shaped like months of use:
/// three datasets, scaling studies over model family × depth × width × length × precision × seed with standalone runs between
/// them, mostly completed runs with some failed and cancelled, the newest 40 runs still queued and one training.
/// Every run that trained has its per-epoch curves and test metrics; the newest ones also their per-step loss and learning
/// rate, until the point budget is spent. Deterministic (fixed seeds) except for the wall-clock anchor of its timestamps.
/// </summary>
internal static class LoadSeed
{
    public const int RunCount = 10_000;
    public const long PointCount = 1_000_000;

    private static readonly string[] Hosts = ["gpu-box-1", "gpu-box-2", "lab-ws-3"];
    private static readonly string[] TagPool = ["baseline", "sweep", "lsrm", "ablation", "paper", "rerun"];
    private static readonly string[] Failures =
    [
        "Loss diverged: NaN at step {0} (learning rate 0.001); lower the rate or add warm-up",
        "Out of memory allocating the attention scores (batch 128, length {1})",
        "Process ended while training (host restart); re-queue to resume from the last checkpoint",
    ];

    public static async Task<string> CreateAsync(string path)
    {
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(path).BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
        await RegistryMigrator.MigrateAsync(factory);
        var catalog = services.GetRequiredService<RunCatalog>();
        var datasetCatalog = services.GetRequiredService<DatasetCatalog>();
        _ = await services.GetRequiredService<DemoDataset>().SeedIfEmptyAsync() ?? throw new InvalidOperationException($"{path} is not empty.");
        await Store(datasetCatalog, "markov-1k-items", new MarkovOptions(Users: 3000, Items: 1000, Concentration: 0.5, Seed: 7));
        await Store(datasetCatalog, "markov-2k-items", new MarkovOptions(Users: 6000, Items: 2000, Concentration: 0.1, ZipfExponent: 1.1, Seed: 11));
        var datasets = await datasetCatalog.ListAsync();

        var random = new Random(20261129);
        var created = 0;
        var studies = 0;
        while (created < RunCount)
        {
            var dataset = datasets[random.Next(datasets.Count)];
            var left = RunCount - created;
            if (left > 600 && random.NextDouble() < 0.75)
            {
                var grid = Grid(random, left - 400);
                studies++;
                var families = string.Join("+", grid.Models.Select(m => m.ToString().ToLowerInvariant()));
                var (study, runs) = await catalog.CreateStudyAsync($"{families} depth × width on {dataset.Name} #{studies}", dataset.Id, grid,
                    tags: Tags(random), note: random.Next(4) == 0 ? "performance-law sweep" : null);
                created += runs.Count;
            }
            else
            {
                for (var i = Math.Min(left, 1 + random.Next(25)); i > 0; i--, created++)
                    await catalog.QueueAsync(dataset.Id, Options(random), tags: Tags(random));
            }
        }

        await Shape(factory, datasets, random);
        var points = await Metrics(services.GetRequiredService<MetricStore>(), factory, datasets);
        await using var db = await factory.CreateDbContextAsync();
        var byStatus = (await db.Runs.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
            .OrderByDescending(g => g.Count).Select(g => $"{g.Count:N0} {g.Key.ToString().ToLowerInvariant()}");
        var byModel = (await db.Runs.GroupBy(r => r.Model).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
            .OrderByDescending(g => g.Count).Select(g => $"{g.Count:N0} {g.Key}");
        var inStudies = await db.Runs.CountAsync(r => r.StudyId != null);
        var runCount = await db.Runs.CountAsync();
        var pointCount = await db.MetricPoints.LongCountAsync();
        if (runCount != RunCount || pointCount != PointCount)
            throw new InvalidOperationException($"Seeded {runCount:N0} runs and {pointCount:N0} points, not {RunCount:N0} and {PointCount:N0}.");
        return $"{runCount:N0} runs ({string.Join(", ", byStatus)}; {string.Join(", ", byModel)}); {await db.Studies.CountAsync()} studies " +
               $"holding {inStudies:N0} of the runs; {datasets.Count} datasets ({string.Join(", ", datasets.Select(d => d.Name))}); " +
               $"{pointCount:N0} metric points ({points}); {await db.RunEvents.CountAsync():N0} run events";
    }

    private static async Task Store(DatasetCatalog catalog, string name, MarkovOptions options)
    {
        var data = MarkovSequenceGenerator.Generate(options);
        await catalog.StoreAsync(name, "synthetic", "synthetic", RegistryJson.Serialize(options),
            RegistryJson.Serialize(new { generator = "markov", entropyRateBits = data.EntropyRateBits }), data.Sequences);
    }

    private static StudyGrid Grid(Random random, int maxRuns)
    {
        ModelFamily[][] families = [[ModelFamily.Sasrec], [ModelFamily.Hstu], [ModelFamily.Llama], [ModelFamily.Sasrec, ModelFamily.Hstu],
            [ModelFamily.Sasrec, ModelFamily.Hstu, ModelFamily.Llama]];
        int[] layers = [1, 2, 3, 4, 6, 8, 12, 16];
        int[] dims = [16, 32, 48, 64, 96, 128, 192, 256];
        while (true)
        {
            var grid = new StudyGrid
            {
                Base = Options(random) with { Seed = 42 },
                Models = families[random.Next(families.Length)],
                Layers = Range(random, layers, 2, 6),
                Dims = Range(random, dims, 2, 6),
                MaxLengths = random.Next(4) == 0 ? [50, 100, 200] : [],
                Precisions = random.Next(5) == 0 ? [Precision.Fp32, Precision.Bf16] : [],
                Seeds = Enumerable.Range(42, 1 + random.Next(3)).ToArray(),
            };
            if (grid.Size <= maxRuns) return grid;
        }
    }

    private static int[] Range(Random random, int[] values, int min, int max)
    {
        var count = min + random.Next(max - min + 1);
        var first = random.Next(values.Length - count + 1);
        return values[first..(first + count)];
    }

    private static RunOptions Options(Random random) => new()
    {
        Model = (ModelFamily)random.Next(3),
        Layers = 1 << random.Next(4),
        Dim = 16 * (1 + random.Next(8)),
        MaxLength = random.Next(3) == 0 ? 200 : 50,
        Loss = random.Next(3) == 0 ? LossKind.SampledSoftmax : LossKind.Bce,
        Epochs = random.Next(3) == 0 ? 40 : 20,
        EvalEvery = 5,
        Seed = 42 + random.Next(3),
    };

    private static string Tags(Random random) => random.Next(3) == 0 ? TagPool[random.Next(TagPool.Length)] : "";

    /// <summary>Spreads the runs over 90 days and gives them the states and results a registry in use has.</summary>
    private static async Task Shape(IDbContextFactory<RegistryDbContext> factory, IReadOnlyList<DatasetRecord> datasets, Random random)
    {
        await using var db = await factory.CreateDbContextAsync();
        var runs = await db.Runs.OrderBy(r => r.Id).ToListAsync();
        var studies = await db.Studies.ToDictionaryAsync(s => s.Id);
        var users = datasets.ToDictionary(d => d.Id, d => d.Users);
        var now = DateTime.UtcNow;
        var first = now.AddDays(-90);
        const int queued = 40;   // the newest runs still wait in the queue; the one before them is training
        var seen = new HashSet<int>();
        foreach (var dataset in await db.Datasets.ToListAsync()) dataset.CreatedUtc = first.AddDays(-3);
        var events = new List<RunEventRecord>();
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var createdUtc = first.AddSeconds(i * (now - first).TotalSeconds / runs.Count);
            if (run.StudyId is { } s)
            {
                // A study's runs are queued together, when the study is created.
                if (seen.Add(s)) studies[s].CreatedUtc = createdUtc;
                createdUtc = studies[s].CreatedUtc;
            }
            run.CreatedUtc = createdUtc;
            var stepsPerEpoch = (users[run.DatasetId] + 127) / 128;
            var fromEnd = runs.Count - 1 - i;
            if (fromEnd < queued) continue;
            var host = Hosts[random.Next(Hosts.Length)];
            run.Host = $"{host}/{1000 + random.Next(60000)}";
            run.Attempts = random.Next(20) == 0 ? 2 : 1;
            run.StartedUtc = createdUtc.AddMinutes(random.Next(360));
            var roll = random.NextDouble();
            run.Status = fromEnd == queued ? RunStatus.Running : roll < 0.04 ? RunStatus.Failed : roll < 0.07 ? RunStatus.Cancelled : RunStatus.Completed;
            run.EpochsDone = run.Status == RunStatus.Completed ? run.Epochs : random.Next(run.Epochs);
            run.StepsDone = (long)run.EpochsDone * stepsPerEpoch + (run.Status == RunStatus.Completed ? 0 : random.Next(stepsPerEpoch));
            var quality = Quality(run, datasets);
            run.LastLoss = Loss(run, run.StepsDone, stepsPerEpoch, random);
            events.Add(new RunEventRecord { RunId = run.Id, TimeUtc = run.StartedUtc.Value, Text = $"started on {run.Host} (attempt {run.Attempts})" });
            var seconds = 20 + run.NonEmbeddingParameters / 2_000.0 * run.EpochsDone * (1 + run.MaxLength / 100.0);
            if (run.Status == RunStatus.Running) continue;
            run.FinishedUtc = run.StartedUtc.Value.AddSeconds(seconds);
            switch (run.Status)
            {
                case RunStatus.Completed:
                    RunResults.SetTestMetrics(run, TestMetrics(quality, random));
                    run.CheckpointPath = $"runs/{run.Id}/checkpoint.bin";
                    events.Add(new RunEventRecord { RunId = run.Id, TimeUtc = run.FinishedUtc.Value, Text = $"completed: test NDCG@10 {run.TestNdcg10:F4}" });
                    break;
                case RunStatus.Failed:
                    run.Error = string.Format(System.Globalization.CultureInfo.InvariantCulture, Failures[random.Next(Failures.Length)], run.StepsDone, run.MaxLength);
                    events.Add(new RunEventRecord { RunId = run.Id, TimeUtc = run.FinishedUtc.Value, Text = $"failed: {run.Error}" });
                    break;
                default:
                    events.Add(new RunEventRecord { RunId = run.Id, TimeUtc = run.FinishedUtc.Value, Text = $"cancelled at epoch {run.EpochsDone}" });
                    break;
            }
        }
        db.RunEvents.AddRange(events);
        await db.SaveChangesAsync();
    }

    /// <summary>A test NDCG@10 that follows a saturating power law in non-embedding parameters, as the studies are run to show.</summary>
    private static double Quality(RunRecord run, IReadOnlyList<DatasetRecord> datasets)
    {
        var ceiling = 0.18 + 0.08 * datasets.ToList().FindIndex(d => d.Id == run.DatasetId);
        return ceiling - 0.9 * ceiling * Math.Pow(Math.Max(run.NonEmbeddingParameters, 1000) / 1000.0, -0.35) + (run.Model == "hstu" ? 0.01 : 0);
    }

    private static Dictionary<string, double> TestMetrics(double ndcg10, Random random)
    {
        var n = Math.Max(0.005, ndcg10 * (1 + 0.05 * (random.NextDouble() - 0.5)));
        return new()
        {
            ["HR@1"] = n * 0.45, ["HR@5"] = n * 1.35, ["HR@10"] = Math.Min(1, n * 1.85), ["HR@20"] = Math.Min(1, n * 2.5),
            ["NDCG@5"] = n * 0.85, ["NDCG@10"] = n, ["NDCG@20"] = n * 1.15, ["MRR"] = n * 0.8,
        };
    }

    private static double Loss(RunRecord run, long step, int stepsPerEpoch, Random random)
    {
        var (start, floor) = run.Name.Contains("-ssm", StringComparison.Ordinal) ? (6.5, 3.2) : (1.38, 0.32);
        return floor + (start - floor) * Math.Exp(-step / (5.0 * stepsPerEpoch)) + 0.02 * (random.NextDouble() - 0.5);
    }

    /// <summary>
    /// Per-epoch points (epoch loss and seconds, validation metrics every EvalEvery epochs, test metrics at the end) for every
    /// run that trained, then per-step loss and learning rate for the newest runs until exactly <see cref="PointCount"/>.
    /// </summary>
    private static async Task<string> Metrics(MetricStore store, IDbContextFactory<RegistryDbContext> factory, IReadOnlyList<DatasetRecord> datasets)
    {
        List<RunRecord> runs;
        await using (var db = await factory.CreateDbContextAsync())
            runs = await db.Runs.AsNoTracking().Where(r => r.StartedUtc != null).OrderByDescending(r => r.Id).ToListAsync();
        var users = datasets.ToDictionary(d => d.Id, d => d.Users);
        var random = new Random(7);
        var budget = PointCount;
        var perEpoch = 0L;
        foreach (var run in runs)
        {
            var stepsPerEpoch = (users[run.DatasetId] + 127) / 128;
            var evalEvery = RunJson.Options(run).EvalEvery;
            var ndcg = run.TestNdcg10 ?? Quality(run, datasets);
            var points = new List<MetricPoint>();
            for (var epoch = 1; epoch <= run.EpochsDone; epoch++)
            {
                var step = (long)epoch * stepsPerEpoch;
                var time = Time(run, step);
                points.Add(new MetricPoint(MetricSplits.Train, "epoch_loss", step, epoch, Loss(run, step, stepsPerEpoch, random), time));
                points.Add(new MetricPoint(MetricSplits.Train, "epoch_seconds", step, epoch, 1 + run.NonEmbeddingParameters / 2_000.0 * (1 + random.NextDouble() * 0.1), time));
                if (epoch % evalEvery == 0 || epoch == run.Epochs)
                {
                    var reached = ndcg * (1 - Math.Exp(-epoch / 6.0)) * (1 + 0.04 * (random.NextDouble() - 0.5));
                    points.Add(new MetricPoint(MetricSplits.Valid, "HR@10", step, epoch, reached * 1.85, time));
                    points.Add(new MetricPoint(MetricSplits.Valid, "NDCG@10", step, epoch, reached, time));
                    points.Add(new MetricPoint(MetricSplits.Valid, "MRR", step, epoch, reached * 0.8, time));
                }
            }
            if (run.FinalMetricsJson is { } final)
                foreach (var (name, value) in RunJson.Metrics(final))
                    points.Add(new MetricPoint(MetricSplits.Test, name, run.StepsDone, run.EpochsDone, value, Time(run, run.StepsDone)));
            var take = (int)Math.Min(points.Count, budget);
            await store.AppendAsync(run.Id, points.Take(take).ToList());
            budget -= take;
            perEpoch += take;
        }
        var stepRuns = 0;
        foreach (var run in runs)
        {
            if (budget == 0) break;
            var stepsPerEpoch = (users[run.DatasetId] + 127) / 128;
            var points = new List<MetricPoint>();
            for (var step = 1L; step <= run.StepsDone && points.Count < budget; step++)
            {
                var epoch = (int)((step - 1) / stepsPerEpoch) + 1;
                points.Add(new MetricPoint(MetricSplits.Train, "loss", step, epoch, Loss(run, step, stepsPerEpoch, random) + 0.1 * (random.NextDouble() - 0.5), Time(run, step)));
                if (points.Count < budget) points.Add(new MetricPoint(MetricSplits.Train, "lr", step, epoch, 0.001, Time(run, step)));
            }
            await store.AppendAsync(run.Id, points);
            budget -= points.Count;
            stepRuns++;
        }
        if (budget != 0) throw new InvalidOperationException($"{budget:N0} metric points short of {PointCount:N0}.");
        return $"{perEpoch:N0} per-epoch and test points over {runs.Count:N0} runs that trained, " +
               $"{PointCount - perEpoch:N0} per-step loss and learning-rate points for the newest {stepRuns:N0}";
    }

    private static long Time(RunRecord run, long step)
    {
        var start = run.StartedUtc!.Value;
        var end = run.FinishedUtc ?? DateTime.UtcNow;
        var fraction = run.StepsDone == 0 ? 0 : Math.Min(1, (double)step / run.StepsDone);
        return new DateTimeOffset(start + (end - start) * fraction, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }
}
