using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Registry.Accounts;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw audit [--run N | --dataset N] [--csv | --json] [--limit N]</c>: who changed what, newest first.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var run = new Option<int?>("--run") { Description = "Only this run's entries." };
        var dataset = new Option<int?>("--dataset") { Description = "Only this dataset's entries." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV (cells a spreadsheet would run as formulas are quoted as text)." };
        var limit = new Option<int>("--limit") { Description = $"The newest N entries, 1–{AuditLog.MaxLimit:N0}.", DefaultValueFactory = _ => 200 };
        var command = new Command("audit", "Show the audit trail: who queued, cancelled, re-queued, imported, deleted or changed what.")
        {
            run, dataset, csv, CommonOptions.Json, limit,
        };
        command.SetAction(async (result, ct) =>
        {
            var (kind, id) = (result.GetValue(run), result.GetValue(dataset)) switch
            {
                ({ }, { }) => throw new ArgumentException("--run and --dataset: give one of them, not both."),
                ({ } r, null) => (AuditSubjects.Run, (int?)r),
                (null, { } d) => (AuditSubjects.Dataset, d),
                _ => ((string?)null, (int?)null),
            };
            var count = result.GetValue(limit);
            if (count is < 1 or > AuditLog.MaxLimit)
                throw new ArgumentException($"--limit: {count} is out of range; expected 1–{AuditLog.MaxLimit.ToString("N0", CultureInfo.InvariantCulture)}.");
            if (result.GetValue(csv) && result.GetValue(CommonOptions.Json))
                throw new ArgumentException("--csv and --json: give one of them, not both.");
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var rows = await services.GetRequiredService<AuditLog>().ListAsync(kind, id, count, ct);
            if (result.GetValue(csv) || result.GetValue(CommonOptions.Json))
            {
                await using var stdout = Console.OpenStandardOutput();
                if (result.GetValue(csv)) await AuditLog.WriteCsvAsync(rows, stdout, ct);
                else await AuditLog.WriteJsonAsync(rows, stdout, ct);
                if (!result.GetValue(csv)) await stdout.WriteAsync("\n"u8.ToArray(), ct);
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("time (UTC)", "who", "action", "subject", "detail");
            foreach (var a in rows)
                table.AddRow(a.AtUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(a.Actor), Markup.Escape(a.Action),
                    Markup.Escape(a.SubjectId is { } s ? $"{a.SubjectKind} {s}" : a.SubjectKind), Markup.Escape(a.Detail));
            CliProgress.Out.Write(table);
            if (rows.Count == 0) Console.Error.WriteLine("no audit entries");
            return 0;
        });
        return command;
    }
}
