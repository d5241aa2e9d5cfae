using Microsoft.Extensions.Options;
using Npgsql;
using PLaw.Registry;
using PLaw.Registry.Accounts;
using PLaw.Registry.Storage;
using PLaw.Web.Accounts;

namespace PLaw.Web.Api;

/// <summary>
/// <c>GET /api/worker/registry</c>: how a remote worker (<c>plaw worker --registry https://dashboard --token …</c>) reaches this
/// dashboard's registry: its PostgreSQL connection string (PLaw:Registry:WorkerConnectionString when set, for a database
/// address other machines reach, else the dashboard's own). The answer holds the database password, which opens the whole
/// registry, so only a worker-scoped token of an Admin gets it; every answer is audit-logged and never cached. A SQLite
/// registry is a file on this host: remote workers are refused with how to move to PostgreSQL.
/// </summary>
public static class WorkerRegistryApi
{
    public const string Path = "/api/worker/registry";

    /// <summary>The audit trail's word for a worker fetching the registry connection.</summary>
    public const string Joined = "worker joined";

    public static void MapWorkerRegistryApi(this IEndpointRouteBuilder app) => app.MapGet(Path, AnswerAsync);

    private static async Task<IResult> AnswerAsync(HttpContext http, RegistryConnection registry, IOptions<PLawOptions> options, AuditLog audit,
        CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var user = http.User;
        if (user.Identity?.AuthenticationType != AuthSchemes.Token)
            return Refuse(StatusCodes.Status403Forbidden, user.Identity?.AuthenticationType == AuthSchemes.Local
                ? "This dashboard runs in local mode (loopback only, no sign-in), so it has no remote workers: on this host run " +
                  "plaw worker with its data folder or registry instead, or set the dashboard up with sign-in and PostgreSQL (docs/deploy.md)."
                : "Joining as a worker needs a worker-scoped API token (Authorization: Bearer plaw_…), not a browser sign-in.");
        var scope = user.FindFirst(AuthSchemes.ScopeClaim)?.Value;
        if (scope != "worker")
            return Refuse(StatusCodes.Status403Forbidden, $"This token's scope is {scope}; joining as a worker needs a token of scope worker " +
                                                          "(the Tokens page, or plaw tokens create --scope worker).");
        if (!user.IsInRole(Roles.Admin))
            return Refuse(StatusCodes.Status403Forbidden, $"A worker token gets the registry's database password, which opens the whole " +
                                                          $"registry: its owner must be an Admin ({user.Identity?.Name} is not).");
        if (registry.Provider != RegistryProvider.Postgres)
            return Refuse(StatusCodes.Status409Conflict, "This dashboard's registry is SQLite, a file on the dashboard's host: workers on " +
                                                         "other machines need a PostgreSQL registry (PLaw:Registry:Provider=Postgres and " +
                                                         "PLaw:Registry:ConnectionString; docs/deploy.md). On the dashboard's own host, run " +
                                                         "plaw worker with its data folder instead.");
        var forWorkers = ForWorkers(registry, options.Value.Registry);
        await audit.WriteAsync(user.Identity?.Name ?? "?", Joined, AuditSubjects.Token, TokenId(http),
            $"worker at {http.Connection.RemoteIpAddress} fetched the registry connection ({forWorkers.Display})", ct);
        return Results.Json(new
        {
            provider = "postgres",
            connectionString = forWorkers.ConnectionString,
            display = forWorkers.Display,
        });
    }

    /// <summary>
    /// PLaw:Registry:WorkerConnectionString when set (with the password file's, else the dashboard's own password when it names
    /// none), else the dashboard's own connection.
    /// </summary>
    internal static RegistryConnection ForWorkers(RegistryConnection registry, RegistryOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.WorkerConnectionString)) return registry;
        var worker = new RegistryConnection(RegistryProvider.Postgres, options.WorkerConnectionString).WithPasswordFile(options.PasswordFile);
        var builder = new NpgsqlConnectionStringBuilder(worker.ConnectionString);
        if (string.IsNullOrEmpty(builder.Password)) builder.Password = new NpgsqlConnectionStringBuilder(registry.ConnectionString).Password;
        return worker with { ConnectionString = builder.ConnectionString };
    }

    private static int? TokenId(HttpContext http) =>
        int.TryParse(http.User.FindFirst(AuthSchemes.TokenIdClaim)?.Value, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    private static IResult Refuse(int status, string error) => Results.Json(new { error }, statusCode: status);
}
