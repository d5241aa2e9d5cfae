using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PLaw.Registry.Runs;

namespace PLaw.Registry.Accounts;

/// <summary>The audit trail: appended to by every change a person makes through the dashboard, the API or the CLI; never edited.</summary>
public sealed class AuditLog(IDbContextFactory<RegistryDbContext> factory, TimeProvider clock)
{
    public const int MaxActorLength = 200;
    public const int MaxDetailLength = 2000;
    public const int MaxLimit = 100_000;

    public async Task WriteAsync(string actor, string action, string subjectKind, int? subjectId, string detail, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectKind);
        await using var db = await factory.CreateDbContextAsync(ct);
        db.AuditEntries.Add(new AuditRecord
        {
            AtUtc = clock.GetUtcNow().UtcDateTime,
            Actor = Clip(actor, MaxActorLength),
            Action = action,
            SubjectKind = subjectKind,
            SubjectId = subjectId,
            Detail = Clip(detail ?? "", MaxDetailLength),
        });
        // Once the change it records has happened, the entry is written even if the caller gives up now.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The newest <paramref name="limit"/> entries (about one subject when given), newest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(string? subjectKind = null, int? subjectId = null, int limit = 200,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.AuditEntries.AsNoTracking();
        if (subjectKind is not null) query = query.Where(a => a.SubjectKind == subjectKind);
        if (subjectId is not null) query = query.Where(a => a.SubjectId == subjectId);
        return await query.OrderByDescending(a => a.Id).Take(Math.Min(limit, MaxLimit)).ToListAsync(ct);
    }

    public static async Task WriteCsvAsync(IEnumerable<AuditRecord> rows, Stream to, CancellationToken ct)
    {
        await using var writer = new StreamWriter(to, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync("id,time,actor,action,subject,subjectId,detail");
        foreach (var a in rows)
        {
            ct.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(string.Join(",", a.Id, Time(a.AtUtc), RunExport.CsvCell(a.Actor), RunExport.CsvCell(a.Action),
                RunExport.CsvCell(a.SubjectKind), a.SubjectId?.ToString(CultureInfo.InvariantCulture) ?? "", RunExport.CsvCell(a.Detail)));
        }
    }

    public static Task WriteJsonAsync(IEnumerable<AuditRecord> rows, Stream to, CancellationToken ct) =>
        JsonSerializer.SerializeAsync(to, rows, UtcJson.Options, ct);

    private static string Time(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
