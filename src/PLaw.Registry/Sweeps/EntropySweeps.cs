using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PLaw.Data.Synthetic;
using PLaw.Entropy;
using PLaw.Laws.EntropySweep;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Sweeps;

/// <summary>Where a sweep's creation is: the stage, datasets finished (generated and measured) of all, and the overall fraction.</summary>
public sealed record EntropySweepProgress(string Stage, int DatasetsDone, int Datasets, double Fraction, string Detail);

/// <summary>A sweep with its members and how far its runs are.</summary>
public sealed record EntropySweepStatus(int Id, string Name, string Phase, DateTime CreatedUtc, EntropySweepRequest Request,
    IReadOnlyList<EntropySweepMember> Members, int Runs, int Completed, int Failed, int Running, int Queued)
{
    public bool Finished => Phase == EntropySweepPhase.Queued && Runs > 0 && Completed + Failed == Runs;
}

/// <summary>
/// Creates entropy sweeps (datasets with their true rate, entropy tables, one queued study each), reads their state, and
/// analyses them once runs have finished. Creation is all or nothing: on failure or cancellation the datasets made so far
/// (with their tables and studies) and the sweep row are deleted.
/// </summary>
public sealed class EntropySweeps(IDbContextFactory<RegistryDbContext> factory, DatasetCatalog datasets, EntropyReports entropy,
    RunCatalog runs, ILogger<EntropySweeps> logger)
{
    /// <summary>Stores the sweep row first (so it has an id to name its datasets by) and returns it; <see cref="GenerateAsync"/> fills it.</summary>
    public async Task<EntropySweepRecord> StartAsync(EntropySweepRequest request, CancellationToken ct = default)
    {
        var problems = request.Problems();
        if (problems.Count > 0) throw new RunOptionsException(problems);
        await using var db = await factory.CreateDbContextAsync(ct);
        var record = new EntropySweepRecord
        {
            Name = $"entropy-sweep-{Guid.NewGuid():N}"[..22], RequestJson = RegistryJson.Serialize(request), MembersJson = "[]",
            Phase = EntropySweepPhase.Generating, CreatedUtc = DateTime.UtcNow,
        };
        db.EntropySweeps.Add(record);
        await db.SaveChangesAsync(ct);
        record.Name = $"entropy-sweep-{record.Id}";
        await db.SaveChangesAsync(CancellationToken.None);
        return record;
    }

    /// <summary>Creates the whole sweep; see <see cref="StartAsync"/> and <see cref="GenerateAsync"/>.</summary>
    public async Task<EntropySweepStatus> CreateAsync(EntropySweepRequest request, IProgress<EntropySweepProgress>? progress = null,
        CancellationToken ct = default)
    {
        var record = await StartAsync(request, ct);
        await GenerateAsync(record.Id, progress, ct);
        return (await FindAsync(record.Id, CancellationToken.None))!;
    }

    /// <summary>
    /// For each target rate: find the concentration, generate, store the dataset (true rate in its statistics), measure its
    /// entropy table at the runs' max length; then queue one study per dataset. Undoes everything on failure or cancellation.
    /// </summary>
    public async Task GenerateAsync(int sweepId, IProgress<EntropySweepProgress>? progress = null, CancellationToken ct = default)
    {
        EntropySweepRecord record;
        await using (var db = await factory.CreateDbContextAsync(ct))
            record = await db.EntropySweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sweepId, ct)
                     ?? throw new KeyNotFoundException($"Entropy sweep {sweepId} does not exist.");
        var request = RegistryJson.Deserialize<EntropySweepRequest>(record.RequestJson);
        var members = new List<EntropySweepMember>();
        var k = request.RatesBits.Length;
        void Report(string stage, int done, double within, string detail) =>
            progress?.Report(new EntropySweepProgress(stage, done, k, Math.Clamp((done + within) / k, 0, 1), detail));
        try
        {
            for (var i = 0; i < k; i++)
            {
                var rate = request.RatesBits[i];
                Report("generating", i, 0, $"searching the concentration for {rate:G4} bits");
                var target = await Task.Run(() => EntropyRateTargets.Find(request.Markov, rate, request.ToleranceBits, ct), ct);
                var options = request.Markov with { Concentration = target.Concentration };
                Report("generating", i, 0.2, $"{rate:G4} bits: generating {request.Users:N0} users at concentration {target.Concentration:G4}");
                var generated = await Task.Run(() => MarkovSequenceGenerator.Generate(options), ct);
                var name = $"{record.Name}-h{rate.ToString("0.###", CultureInfo.InvariantCulture)}";
                var statistics = new
                {
                    generator = "markov", entropyRateBits = generated.EntropyRateBits, targetEntropyRateBits = rate,
                    concentration = target.Concentration, sweepId,
                };
                var dataset = await datasets.StoreAsync(name, "synthetic", "synthetic", RegistryJson.Serialize(options),
                    RegistryJson.Serialize(statistics), generated.Sequences, ct);
                members.Add(new EntropySweepMember(rate, target.Concentration, generated.EntropyRateBits, dataset.Id, name, null));
                await SaveMembersAsync(sweepId, members, EntropySweepPhase.Generating, ct);
                Report("measuring", i, 0.4, $"{rate:G4} bits: entropy table at L = {request.TrainMaxLength}");
                var measure = progress is null ? null : new ForwardedProgress<double>(f => Report("measuring", i, 0.4 + 0.6 * f, $"{rate:G4} bits: entropy table at L = {request.TrainMaxLength}"));
                await entropy.GetOrComputeAsync(dataset.Id, TableOptions(request), measure, ct);
            }
            Report("queueing", k, 0, "queueing the studies");
            for (var i = 0; i < members.Count; i++)
            {
                var (study, _) = await runs.CreateStudyAsync(members[i].DatasetName, members[i].DatasetId, request.Grid, "entropy-sweep",
                    $"entropy sweep {sweepId}: true entropy rate {members[i].TrueRateBits:F3} bits", ct);
                members[i] = members[i] with { StudyId = study.Id };
            }
            await SaveMembersAsync(sweepId, members, EntropySweepPhase.Queued, CancellationToken.None);
            Report("queued", k, 0, $"{members.Count} studies queued");
            logger.LogInformation("Entropy sweep {SweepId}: {Datasets} datasets, {Runs} runs queued", sweepId, members.Count, members.Count * request.Grid.Size);
        }
        catch (Exception e)
        {
            logger.LogWarning("Entropy sweep {SweepId} {Outcome}; removing its {Datasets} datasets: {Error}", sweepId,
                e is OperationCanceledException ? "cancelled" : "failed", members.Count, e.Message);
            await UndoAsync(sweepId, members);
            throw;
        }
    }

    /// <summary>Entropy tables of a sweep: the runs' max length only (m = 2, r = 0, P-Law's settings).</summary>
    public static EntropyTableOptions TableOptions(EntropySweepRequest request) => new([request.TrainMaxLength]);

    private async Task SaveMembersAsync(int sweepId, List<EntropySweepMember> members, string phase, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var json = RegistryJson.Serialize(members);
        await db.EntropySweeps.Where(s => s.Id == sweepId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.MembersJson, json).SetProperty(s => s.Phase, phase), ct);
    }

    private async Task UndoAsync(int sweepId, List<EntropySweepMember> members)
    {
        foreach (var member in members)
        {
            try { await datasets.PurgeAsync(member.DatasetId, CancellationToken.None); }
            catch (Exception e) when (e is DatasetInUseException or InvalidOperationException)
            {
                logger.LogError("Entropy sweep {SweepId}: could not remove dataset {DatasetId}: {Error}", sweepId, member.DatasetId, e.Message);
            }
        }
        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        await db.EntropySweeps.Where(s => s.Id == sweepId).ExecuteDeleteAsync(CancellationToken.None);
    }

    public async Task<IReadOnlyList<EntropySweepStatus>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var ids = await db.EntropySweeps.AsNoTracking().OrderByDescending(s => s.Id).Select(s => s.Id).ToListAsync(ct);
        var list = new List<EntropySweepStatus>();
        foreach (var id in ids)
            if (await FindAsync(id, ct) is { } status) list.Add(status);
        return list;
    }

    public async Task<EntropySweepStatus?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var record = await db.EntropySweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (record is null) return null;
        var members = RegistryJson.Deserialize<List<EntropySweepMember>>(record.MembersJson);
        var studyIds = members.Where(m => m.StudyId is not null).Select(m => m.StudyId!.Value).ToList();
        var counts = await db.Runs.AsNoTracking().Where(r => r.StudyId != null && studyIds.Contains(r.StudyId.Value))
            .GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(params RunStatus[] statuses) => counts.Where(c => statuses.Contains(c.Status)).Sum(c => c.Count);
        return new EntropySweepStatus(record.Id, record.Name, record.Phase, record.CreatedUtc,
            RegistryJson.Deserialize<EntropySweepRequest>(record.RequestJson), members, counts.Sum(c => c.Count),
            Count(RunStatus.Completed), Count(RunStatus.Failed, RunStatus.Cancelled), Count(RunStatus.Running), Count(RunStatus.Queued));
    }

    /// <summary>
    /// The analysis of the sweep's completed runs (<see cref="EntropySweepAnalysis"/>). Throws
    /// <see cref="KeyNotFoundException"/> for an unknown sweep and <see cref="PLaw.Laws.Fitting.LawFitException"/> while fewer
    /// than three datasets have finished runs.
    /// </summary>
    public async Task<EntropySweepReport> ReportAsync(int id, CancellationToken ct = default)
    {
        var status = await FindAsync(id, ct) ?? throw new KeyNotFoundException($"Entropy sweep {id} does not exist.");
        var inputs = new List<SweepDataset>();
        var points = new List<SweepPoint>();
        foreach (var member in status.Members.Where(m => m.StudyId is not null))
        {
            if (await datasets.FindAsync(member.DatasetId, ct) is null) continue; // deleted since: left out of the analysis
            var row = (await entropy.GetOrComputeAsync(member.DatasetId, TableOptions(status.Request), ct: ct))[0].Row;
            inputs.Add(new SweepDataset(member.DatasetName, member.TrueRateBits, row.Tokens, SweepProxies.Of(row)));
            var studyRuns = (await runs.ListAsync(member.StudyId, ct)).Where(r => r.Status == RunStatus.Completed).ToList();
            var metrics = await runs.FinalMetricsAsync(studyRuns.Select(r => r.Id).ToList(), ct);
            foreach (var run in studyRuns)
                if (metrics.TryGetValue(run.Id, out var m) && m.TryGetValue(status.Request.Metric, out var value))
                    points.Add(new SweepPoint(member.DatasetName, run.Layers, run.Dim, value));
        }
        return await Task.Run(() => EntropySweepAnalysis.Analyze(status.Request.Metric, inputs, points), ct);
    }
}
