using Microsoft.EntityFrameworkCore;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Runs;

/// <summary>
/// The claim of the oldest queued run (of a dataset that is not deleted) as one statement per provider. Identifiers are
/// quoted, which both SQLite and PostgreSQL read the same way.
/// </summary>
internal static class RunClaims
{
    public static async Task<int?> ClaimAsync(RegistryDbContext db, RunHolder holder, DateTime now, CancellationToken ct)
    {
        var expires = now + holder.Lease;
        var claimed = RegistryConnection.IsPostgres(db.Database)
            // SKIP LOCKED: a claim passes over the row another transaction is claiming instead of waiting for it, so four
            // workers claiming at once take four different runs without blocking each other.
            ? await db.Database.SqlQuery<int>($"""
                UPDATE "Runs" SET "Status" = 'Running', "Host" = {holder.Host}, "WorkerId" = {holder.WorkerId},
                    "HeartbeatUtc" = {now}, "LeaseExpiresUtc" = {expires}, "StartedUtc" = COALESCE("StartedUtc", {now}),
                    "Attempts" = "Attempts" + 1, "Version" = "Version" + 1
                WHERE "Id" = (SELECT r."Id" FROM "Runs" r WHERE r."Status" = 'Queued'
                              AND r."DatasetId" IN (SELECT d."Id" FROM "Datasets" d WHERE d."DeletedUtc" IS NULL)
                              ORDER BY r."Id" LIMIT 1 FOR UPDATE OF r SKIP LOCKED)
                  AND "Status" = 'Queued'
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct)
            // SQLite has one writer at a time: the subquery and the update see the same queue.
            : await db.Database.SqlQuery<int>($"""
                UPDATE "Runs" SET "Status" = 'Running', "Host" = {holder.Host}, "WorkerId" = {holder.WorkerId},
                    "HeartbeatUtc" = {now}, "LeaseExpiresUtc" = {expires}, "StartedUtc" = COALESCE("StartedUtc", {now}),
                    "Attempts" = "Attempts" + 1, "Version" = "Version" + 1
                WHERE "Id" = (SELECT r."Id" FROM "Runs" r WHERE r."Status" = 'Queued'
                              AND r."DatasetId" IN (SELECT d."Id" FROM "Datasets" d WHERE d."DeletedUtc" IS NULL)
                              ORDER BY r."Id" LIMIT 1)
                  AND "Status" = 'Queued'
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct);
        return claimed.Count == 0 ? null : claimed[0];
    }
}
