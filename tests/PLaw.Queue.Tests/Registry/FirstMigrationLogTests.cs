using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry;
using PLaw.Registry.Storage;

namespace PLaw.Queue.Tests.Registry;

/// <summary>
/// The first start against an empty PostgreSQL database logs no error: EF's Npgsql provider learns that its history table is
/// missing by failing to read it, which it logs as "Failed executing DbCommand" (efcore.pg #3407) — alarming noise in a
/// worker's first log lines. Several processes starting at once (compose --scale worker=4) stay quiet too.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FirstMigrationLogTests(PostgresServer server)
{
    [Fact]
    public async Task MigratingAnEmptyPostgresDatabaseLogsNoError()
    {
        var database = await server.CreateDatabaseAsync();
        try
        {
            var errors = new ConcurrentQueue<string>();
            var processes = Enumerable.Range(0, 3).Select(_ => new ServiceCollection()
                .AddLogging(b => b.AddProvider(new ErrorCollector(errors)))
                .AddPLawRegistry(new RegistryConnection(RegistryProvider.Postgres, database)).BuildServiceProvider()).ToList();
            try
            {
                await Task.WhenAll(processes.Select(p => RegistryMigrator.MigrateAsync(p.GetRequiredService<IDbContextFactory<RegistryDbContext>>())));
                await using var db = await processes[0].GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync();
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            }
            finally
            {
                foreach (var p in processes) await p.DisposeAsync();
            }
            Assert.True(errors.IsEmpty, string.Join("\n---\n", errors));
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    private sealed class ErrorCollector(ConcurrentQueue<string> errors) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, errors);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> errors) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) errors.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
            }
        }
    }
}
