using System.Globalization;
using System.Text;
using System.Text.Json;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Runs;

/// <summary>CSV and JSON exports of runs and metric histories, written as they are read (the dashboard's API and the CLI share them).</summary>
public static class RunExport
{
    public static async Task RunsCsvAsync(IEnumerable<RunSummary> runs, Stream output, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync("id,name,study,dataset,model,layers,dim,maxLength,precision,seed,status,epochsDone,epochs,steps," +
                                    "lastLoss,testHr10,testNdcg10,embeddingParams,nonEmbeddingParams,created,started,finished,tags");
        foreach (var r in runs)
        {
            ct.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(string.Join(",", r.Id, Csv(r.Name), r.StudyId, r.DatasetId, r.Model, r.Layers, r.Dim, r.MaxLength,
                r.Precision, r.Seed, r.Status.ToString().ToLowerInvariant(), r.EpochsDone, r.Epochs, r.StepsDone, Number(r.LastLoss),
                Number(r.TestHr10), Number(r.TestNdcg10), r.EmbeddingParameters, r.NonEmbeddingParameters, Time(r.CreatedUtc),
                Time(r.StartedUtc), Time(r.FinishedUtc), Csv(r.Tags)));
        }
    }

    public static Task RunsJsonAsync(IEnumerable<RunSummary> runs, Stream output, CancellationToken ct = default) =>
        JsonSerializer.SerializeAsync(output, runs, UtcJson.Options, ct);

    public static async Task MetricsCsvAsync(IAsyncEnumerable<(int RunId, MetricPoint Point)> points, Stream output, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync("run,split,name,step,epoch,value,timeUnixMs");
        await foreach (var (runId, p) in points.WithCancellation(ct))
            await writer.WriteLineAsync($"{runId},{p.Split},{Csv(p.Name)},{p.Step},{p.Epoch},{Number(p.Value)},{p.TimeUnixMs}");
    }

    public static async Task MetricsJsonAsync(IAsyncEnumerable<(int RunId, MetricPoint Point)> points, Stream output, CancellationToken ct = default)
    {
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartArray();
        var written = 0;
        await foreach (var (runId, p) in points.WithCancellation(ct))
        {
            json.WriteStartObject();
            json.WriteNumber("run", runId);
            json.WriteString("split", p.Split);
            json.WriteString("name", p.Name);
            json.WriteNumber("step", p.Step);
            json.WriteNumber("epoch", p.Epoch);
            if (double.IsFinite(p.Value)) json.WriteNumber("value", p.Value); else json.WriteNull("value");
            json.WriteNumber("timeUnixMs", p.TimeUnixMs);
            json.WriteEndObject();
            if (++written % 4096 == 0) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    /// <summary>
    /// A text cell, quoted when it must be (RFC 4180). A cell a spreadsheet would read as a formula (it begins with
    /// <c>= + - @</c>, a tab or a carriage return: <c>=HYPERLINK(…)</c> in a run's tags) gets a leading apostrophe, so
    /// Excel, LibreOffice and Sheets show it as text instead of evaluating it (OWASP, "CSV Injection").
    /// </summary>
    public static string CsvCell(string? s) => Csv(s);

    private static string Csv(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        if (s[0] is '=' or '+' or '-' or '@' or '\t' or '\r') s = "'" + s;
        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
    }

    private static string Number(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Time(DateTime? t) => t?.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) ?? "";
}
