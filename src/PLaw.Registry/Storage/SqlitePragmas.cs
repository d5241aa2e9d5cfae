using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PLaw.Registry.Storage;

/// <summary>
/// Per-connection settings for the registry file. With WAL (set once by <see cref="RegistryMigrator"/>), synchronous=NORMAL
/// syncs at checkpoints instead of at every commit: a crashed process loses nothing and the file cannot corrupt; only a power
/// loss may drop the last commits. It keeps per-epoch metric writes from stalling training on fsync.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const string Sql = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default) =>
        await ApplyAsync(connection, ct);

    public static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.ExecuteNonQuery();
    }

    public static async Task ApplyAsync(DbConnection connection, CancellationToken ct = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
