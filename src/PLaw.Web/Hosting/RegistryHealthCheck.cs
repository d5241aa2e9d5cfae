using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PLaw.Registry;

namespace PLaw.Web.Hosting;

/// <summary>Healthy when the registry file opens and answers a query.</summary>
public sealed class RegistryHealthCheck(IDbContextFactory<RegistryDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var datasets = await db.Datasets.CountAsync(ct);
            return HealthCheckResult.Healthy($"registry answers; {datasets} datasets");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("registry does not answer", e);
        }
    }
}
