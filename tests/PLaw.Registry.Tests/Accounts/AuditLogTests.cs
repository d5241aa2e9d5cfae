using System.Text;
using System.Text.Json;
using PLaw.Registry.Accounts;

namespace PLaw.Registry.Tests.Accounts;

/// <summary>The audit trail (#11): appended, read newest first per subject, exported without spreadsheet formulas.</summary>
public sealed class AuditLogTests
{
    [Fact]
    public async Task EntriesComeBackNewestFirstAndPerSubject()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var audit = registry.Get<AuditLog>();
        await audit.WriteAsync("ada", AuditActions.Queued, AuditSubjects.Run, 7, "queued run 7");
        await audit.WriteAsync("cli:bob", AuditActions.Cancelled, AuditSubjects.Run, 7, "cancelled");
        await audit.WriteAsync("ada", AuditActions.Deleted, AuditSubjects.Dataset, 7, "deleted dataset 7");
        await audit.WriteAsync("ada", AuditActions.Queued, AuditSubjects.Run, 8, "queued run 8");

        var all = await audit.ListAsync();
        Assert.Equal(["queued run 8", "deleted dataset 7", "cancelled", "queued run 7"], all.Select(a => a.Detail));
        Assert.Equal(["cancelled", "queued run 7"], (await audit.ListAsync(AuditSubjects.Run, 7)).Select(a => a.Detail));
        Assert.Equal(["deleted dataset 7"], (await audit.ListAsync(AuditSubjects.Dataset, 7)).Select(a => a.Detail));
        Assert.Equal(["queued run 8", "deleted dataset 7"], (await audit.ListAsync(limit: 2)).Select(a => a.Detail));
        Assert.Equal("cli:bob", all[2].Actor);
        Assert.Equal(AuditActions.Cancelled, all[2].Action);
    }

    [Fact]
    public async Task CsvCellsThatWouldBeFormulasAreWrittenAsText()
    {
        var rows = new[]
        {
            new AuditRecord { Id = 1, AtUtc = new DateTime(2026, 11, 30, 1, 2, 3, DateTimeKind.Utc), Actor = "=HYPERLINK(\"http://evil.example\",\"x\")",
                Action = AuditActions.Imported, SubjectKind = AuditSubjects.Dataset, SubjectId = 3, Detail = "@SUM(A1:A9)" },
            new AuditRecord { Id = 2, AtUtc = new DateTime(2026, 11, 30, 1, 2, 4, DateTimeKind.Utc), Actor = "ada",
                Action = AuditActions.Queued, SubjectKind = AuditSubjects.Run, SubjectId = null, Detail = "+1, then -1" },
        };
        using var csv = new MemoryStream();
        await AuditLog.WriteCsvAsync(rows, csv, CancellationToken.None);
        var lines = Encoding.UTF8.GetString(csv.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("id,time,actor,action,subject,subjectId,detail", lines[0]);
        Assert.Equal("1,2026-11-30T01:02:03.000Z,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",imported,dataset,3,'@SUM(A1:A9)", lines[1]);
        Assert.Equal("2,2026-11-30T01:02:04.000Z,ada,queued,run,,\"'+1, then -1\"", lines[2]);

        using var json = new MemoryStream();
        await AuditLog.WriteJsonAsync(rows, json, CancellationToken.None);
        var parsed = JsonDocument.Parse(json.ToArray()).RootElement;
        Assert.Equal(2, parsed.GetArrayLength());
        Assert.Equal("2026-11-30T01:02:03.000Z", parsed[0].GetProperty("atUtc").GetString());
        Assert.Equal("@SUM(A1:A9)", parsed[0].GetProperty("detail").GetString()); // JSON is data, not a spreadsheet: kept as written
    }
}
