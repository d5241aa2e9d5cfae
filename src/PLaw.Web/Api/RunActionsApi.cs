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

    private static async Task<IResult> CancelAsync(int id, HttpContext http, RunActions actions, CancellationToken ct)
    {
        RunStatus status;
        try
        {
            status = await actions.CancelAsync(id, Actor(http), Via(http), ct);
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(new { error = e.Message });
        }
        return status switch
        {
            RunStatus.Cancelled => Results.Ok(new { id, status = status.Label(), message = "cancelled" }),
            RunStatus.Running => Results.Ok(new { id, status = status.Label(), message = "cancel requested" }),
            _ => Results.Conflict(new { error = $"Run {id} is {status.Label()}; only queued or running runs can be cancelled.", status = status.Label() }),
        };
    }

    private static async Task<IResult> RequeueAsync(int id, HttpContext http, RunActions actions, CancellationToken ct)
    {
        try
        {
            await actions.RequeueAsync(id, Actor(http), Via(http), ct);
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(new { error = e.Message });
        }
        catch (InvalidOperationException e)
        {
            return Results.Conflict(new { error = e.Message });
        }
        return Results.Ok(new { id, status = RunStatus.Queued.Label() });
    }

    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? "?";

    private static string Via(HttpContext http) =>
        http.User.FindFirst(AuthSchemes.TokenIdClaim)?.Value is { } token ? $"API, token {token}" : "API";
}
