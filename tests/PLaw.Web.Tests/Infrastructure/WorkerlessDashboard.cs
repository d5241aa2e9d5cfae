namespace PLaw.Web.Tests.Infrastructure;

/// <summary>
/// A dashboard that trains nothing itself (PLaw:RunWorker=false, as behind a load balancer in front of GPU workers), on its own
/// SQLite registry file or on a shared PostgreSQL database: every run it shows is trained by another process.
/// </summary>
public static class WorkerlessDashboard
{
    /// <param name="postgres">The PostgreSQL connection string of the registry; null: the dashboard's own SQLite file.</param>
    public static Task<DashboardServer> StartAsync(string? postgres = null)
    {
        var environment = new Dictionary<string, string> { ["PLaw__RunWorker"] = "false" };
        if (postgres is not null)
        {
            environment["PLaw__Registry__Provider"] = "Postgres";
            environment["PLaw__Registry__ConnectionString"] = postgres;
        }
        return DashboardServer.StartAsync(environment: environment);
    }
}
