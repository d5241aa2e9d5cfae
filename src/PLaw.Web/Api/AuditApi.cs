using PLaw.Registry.Accounts;

namespace PLaw.Web.Api;

/// <summary>
/// The audit trail as a download: <c>/api/audit.csv|json</c>, the whole trail or <c>?run=N</c> / <c>?dataset=N</c>, newest
/// first (at most <c>limit</c> rows, default 10,000). Readable by every Viewer, like the other exports.
/// </summary>
public static class AuditApi
{
    private const int DefaultLimit = 10_000;

    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/audit.json", (AuditLog log, HttpContext http, int? run, int? dataset, int? limit) => Export(log, http, run, dataset, limit, json: true));
        api.MapGet("/audit.csv", (AuditLog log, HttpContext http, int? run, int? dataset, int? limit) => Export(log, http, run, dataset, limit, json: false));
    }

    private static async Task<IResult> Export(AuditLog log, HttpContext http, int? run, int? dataset, int? limit, bool json)
    {
        if (run is not null && dataset is not null)
            return Results.BadRequest(new { error = "Give either run or dataset, not both." });
        if (limit is < 1)
            return Results.BadRequest(new { error = $"limit must be at least 1 (got {limit})." });
        var (kind, id, name) = (run, dataset) switch
        {
            ({ } r, _) => (AuditSubjects.Run, (int?)r, $"audit-run-{r}"),
            (_, { } d) => (AuditSubjects.Dataset, (int?)d, $"audit-dataset-{d}"),
            _ => ((string?)null, (int?)null, "audit"),
        };
        var rows = await log.ListAsync(kind, id, limit ?? DefaultLimit, http.RequestAborted);
        http.Response.ContentType = json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename={name}.{(json ? "json" : "csv")}";
        if (json) await AuditLog.WriteJsonAsync(rows, http.Response.Body, http.RequestAborted);
        else await AuditLog.WriteCsvAsync(rows, http.Response.Body, http.RequestAborted);
        return Results.Empty;
    }
}
