using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PLaw.Engine.Challenges;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Challenges;

/// <summary>
/// Stored challenge reports (<see cref="ChallengeResultRecord"/>): saved by <c>plaw challenge</c> and the Run page's Challenges
/// panel, read by the study-level view so a report is computed once per run, not on every look.
/// </summary>
public sealed class ChallengeResults(IDbContextFactory<RegistryDbContext> factory, ILogger<ChallengeResults> logger)
{
    /// <summary>Stores <paramref name="report"/> for run <paramref name="runId"/>, replacing the one it had, in one transaction.</summary>
    public async Task<StoredChallengeReport> SaveAsync(int runId, ChallengeReport report, int maxUsers, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxUsers);
        var record = new ChallengeResultRecord
        {
            RunId = runId,
            ReportJson = RegistryJson.Serialize(report),
            ComputedUtc = DateTime.UtcNow,
            UsersScored = report.UsersScored,
            MaxUsers = maxUsers,
        };
        // Two savers of the same run can race (the CLI and the dashboard): the loser's insert hits the key and it retries as a replace.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ReplaceAsync(record, ct);
                break;
            }
            catch (DbUpdateException e)
            {
                if (!await RunExistsAsync(runId, ct))
                    throw new KeyNotFoundException($"Run {runId} does not exist, so its challenge report cannot be stored.", e);
                if (attempt == 2) throw;
                // Saved by the other writer between our delete and insert: replace theirs.
            }
        }
        logger.LogInformation("Stored the challenge report of run {RunId} ({Users} users scored)", runId, report.UsersScored);
        return ToStored(record);
    }

    private async Task ReplaceAsync(ChallengeResultRecord record, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.ChallengeResults.Where(c => c.RunId == record.RunId).ExecuteDeleteAsync(ct);
        db.ChallengeResults.Add(new ChallengeResultRecord
        {
            RunId = record.RunId, ReportJson = record.ReportJson, ComputedUtc = record.ComputedUtc,
            UsersScored = record.UsersScored, MaxUsers = record.MaxUsers,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Run <paramref name="runId"/>'s stored report; null when none was stored.</summary>
    public async Task<StoredChallengeReport?> FindAsync(int runId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var record = await db.ChallengeResults.AsNoTracking().FirstOrDefaultAsync(c => c.RunId == runId, ct);
        return record is null ? null : ToStored(record);
    }

    /// <summary>The stored reports of study <paramref name="studyId"/>'s runs, by run id.</summary>
    public async Task<IReadOnlyList<StoredChallengeReport>> ListForStudyAsync(int studyId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var records = await db.ChallengeResults.AsNoTracking()
            .Where(c => db.Runs.Any(r => r.Id == c.RunId && r.StudyId == studyId))
            .OrderBy(c => c.RunId).ToListAsync(ct);
        return records.ConvertAll(ToStored);
    }

    private async Task<bool> RunExistsAsync(int runId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Runs.IgnoreQueryFilters().AnyAsync(r => r.Id == runId, ct);
    }

    private static StoredChallengeReport ToStored(ChallengeResultRecord record) => new(record.RunId,
        RegistryJson.Deserialize<ChallengeReport>(record.ReportJson), DateTime.SpecifyKind(record.ComputedUtc, DateTimeKind.Utc),
        record.UsersScored, record.MaxUsers);
}
