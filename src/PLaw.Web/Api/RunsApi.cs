using System.Globalization;
using System.Text.Json;
using PLaw.Registry.Runs;

namespace PLaw.Web.Api;

/// <summary>
/// Exports, streamed: <c>/api/runs.csv|json</c> (the runs table, <c>?study=</c>), <c>/api/runs/{id}</c> (one run with options),
/// <c>/api/runs/{id}/metrics.csv|json</c> and <c>/api/metrics.csv|json?runs=1,2</c> (metric histories).
/// </summary>
public static class RunsApi
{
    public static void MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(PLaw.Registry.Accounts.Roles.Viewer);
        api.MapGet("/runs.json", (RunCatalog catalog, HttpContext http, int? study) => Runs(catalog, http, study, json: true));
        api.MapGet("/runs.csv", (RunCatalog catalog, HttpContext http, int? study) => Runs(catalog, http, study, json: false));
        api.MapGet("/runs/{id:int}", Run);
        api.MapGet("/runs/{id:int}/metrics.json", (int id, MetricStore store, HttpContext http) => Metrics([id], store, http, json: true));
        api.MapGet("/runs/{id:int}/metrics.csv", (int id, MetricStore store, HttpContext http) => Metrics([id], store, http, json: false));
        api.MapGet("/metrics.json", (string runs, MetricStore store, HttpContext http) => Metrics(ParseIds(runs), store, http, json: true));
        api.MapGet("/metrics.csv", (string runs, MetricStore store, HttpContext http) => Metrics(ParseIds(runs), store, http, json: false));
    }

    private static int[] ParseIds(string runs) =>
        runs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1).Where(id => id > 0).ToArray();

    private static async Task<IResult> Run(int id, RunCatalog catalog, CancellationToken ct)
    {
        var run = await catalog.FindAsync(id, ct);
        if (run is null) return Results.NotFound(new { error = $"Run {id} does not exist." });
        return Results.Text(JsonSerializer.Serialize(new
        {
            run = RunSummary.Of(run),
            options = JsonDocument.Parse(run.OptionsJson).RootElement,
            finalMetrics = RunJson.Metrics(run.FinalMetricsJson),
            run.Note,
        }, UtcJson.Options), "application/json");
    }

    private static async Task Runs(RunCatalog catalog, HttpContext http, int? study, bool json)
    {
        var runs = await catalog.ListAsync(study, http.RequestAborted);
        Headers(http, study is { } s ? $"runs-study-{s}" : "runs", json);
        if (json) await RunExport.RunsJsonAsync(runs, http.Response.Body, http.RequestAborted);
        else await RunExport.RunsCsvAsync(runs, http.Response.Body, http.RequestAborted);
    }

    private static async Task Metrics(int[] runIds, MetricStore store, HttpContext http, bool json)
    {
        Headers(http, runIds.Length == 1 ? $"metrics-run-{runIds[0]}" : "metrics", json);
        var points = store.StreamAsync(runIds, http.RequestAborted);
        if (json) await RunExport.MetricsJsonAsync(points, http.Response.Body, http.RequestAborted);
        else await RunExport.MetricsCsvAsync(points, http.Response.Body, http.RequestAborted);
    }

    /// <summary>Both formats download as a named file (a browser following the link saves it instead of showing raw JSON).</summary>
    private static void Headers(HttpContext http, string name, bool json)
    {
        http.Response.ContentType = json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename={name}.{(json ? "json" : "csv")}";
    }
}
