using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry;
using PLaw.Registry.Accounts;
using PLaw.Registry.Storage;

namespace PLaw.Queue.Tests.Feed;

/// <summary>
/// A PostgreSQL registry opens for every kind of process: the dashboard and CLI (with Identity's accounts services) and
/// <c>plaw worker --registry</c> (without). Each builds the model PostgreSQL's migrations (with the live feed's triggers) were
/// made from; EF refuses to migrate ("pending model changes") when they differ, so a dashboard on PostgreSQL could not start.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresModelTests(PostgresServer server)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryKindOfProcessMigratesAFreshPostgresRegistry(bool withAccounts)
    {
        var database = await server.CreateDatabaseAsync();
        try
        {
            var collection = new ServiceCollection().AddLogging().AddPLawRegistry(new RegistryConnection(RegistryProvider.Postgres, database));
            if (withAccounts) collection.AddPLawAccounts();
            await using var services = collection.BuildServiceProvider();
            var factory = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
            await RegistryMigrator.MigrateAsync(factory);
            await using var db = await factory.CreateDbContextAsync();
            Assert.False(db.Database.HasPendingModelChanges());
            Assert.Contains("20261130090000_RunFeedNotify", await db.Database.GetAppliedMigrationsAsync());
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }
}
