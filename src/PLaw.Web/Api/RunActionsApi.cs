using PLaw.Registry.Accounts;
using PLaw.Registry.Runs;
using PLaw.Web.Accounts;
using PLaw.Web.Runs;

namespace PLaw.Web.Api;

/// <summary>
/// <c>POST /api/runs/{id}/cancel</c> and <c>/requeue</c>, for the CLI and scripts: a write-scoped token of a Member
/// (<see cref="ApiWriteRequirement"/>), audit-logged under the token's owner. The dashboard's pages act through their circuit.
/// </summary>
public static class RunActionsApi
{
    public static void MapRunActionsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs/{id:int}").RequireAuthorization(ApiWriteRequirement.Policy).DisableAntiforgery();
        runs.MapPost("/cancel", CancelAsync);
        runs.MapPost("/requeue", RequeueAsync);
    }

    private static async Task<IResult> CancelAsync(int id, HttpContext http, RunActions actions, AuditLog audit, CancellationToken ct)
    {
        RunStatus status;
        try
        {
            status = await actions.CancelAsync(id, ct);
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(new { error = e.Message });
        }
        var what = status switch
        {
            RunStatus.Cancelled => "cancelled",
            RunStatus.Running => "cancel requested",
            _ => null,
        };
        if (what is null) return Results.Conflict(new { error = $"Run {id} is {status.Label()}; only queued or running runs can be cancelled.", status = status.Label() });
        await audit.WriteAsync(Actor(http), AuditActions.Cancelled, AuditSubjects.Run, id, $"{what} ({Via(http)})", ct);
        return Results.Ok(new { id, status = status.Label(), message = what });
    }

    private static async Task<IResult> RequeueAsync(int id, HttpContext http, RunCatalog catalog, AuditLog audit, CancellationToken ct)
    {
        try
        {
            await catalog.RequeueAsync(id, ct);
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(new { error = e.Message });
        }
        catch (InvalidOperationException e)
        {
            return Results.Conflict(new { error = e.Message });
        }
        await audit.WriteAsync(Actor(http), AuditActions.Requeued, AuditSubjects.Run, id, $"re-queued ({Via(http)})", ct);
        return Results.Ok(new { id, status = RunStatus.Queued.Label() });
    }

    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? "?";

    private static string Via(HttpContext http) =>
        http.User.FindFirst(AuthSchemes.TokenIdClaim)?.Value is { } token ? $"API, token {token}" : "API";
}
