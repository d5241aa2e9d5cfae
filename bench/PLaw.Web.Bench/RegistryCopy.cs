using Microsoft.Data.Sqlite;

/// <summary>
/// Gives a build its own copy of the seeded registry without assuming it shares the seeding code's schema: the build has
/// already created its (empty) registry file with its own migrations; every row of the seed is copied into it, table by table,
/// through the columns both schemas have. A column only the build's schema has must be nullable or have a default, else the
/// copy stops and says which. The result says what was copied and what was left out, for the results file.
/// </summary>
internal static class RegistryCopy
{
    private const string History = "__EFMigrationsHistory";

    public sealed record Result(IReadOnlyList<string> Migrations, IReadOnlyList<string> Notes, long Rows);

    public static Result Into(string target, string seed)
    {
        using var connection = new SqliteConnection($"Data Source={target};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA foreign_keys=OFF;");
        Execute(connection, $"ATTACH DATABASE '{seed.Replace("'", "''")}' AS seed;");
        var notes = new List<string>();
        var targetTables = Tables(connection, "main");
        var seedTables = Tables(connection, "seed");
        foreach (var missing in seedTables.Except(targetTables).Where(t => t != History))
            notes.Add($"table {missing} is not in this build's schema: its {Count(connection, "seed", missing):N0} rows were left out");

        long rows = 0;
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var table in targetTables.Where(t => t != History))
            {
                var targetColumns = Columns(connection, "main", table);
                Execute(connection, $"DELETE FROM main.\"{table}\";", transaction);
                if (!seedTables.Contains(table))
                {
                    notes.Add($"table {table} is only in this build's schema: left empty");
                    continue;
                }
                var seedColumns = Columns(connection, "seed", table).Select(c => c.Name).ToHashSet();
                var common = targetColumns.Where(c => seedColumns.Contains(c.Name)).Select(c => c.Name).ToList();
                foreach (var extra in targetColumns.Where(c => !seedColumns.Contains(c.Name)))
                {
                    if (extra.NotNull && extra.Default is null && !extra.PrimaryKey)
                        throw new InvalidOperationException($"{table}.{extra.Name} is NOT NULL without a default in this build's schema and " +
                                                            "the seed has no such column: seed the registry with this build's code instead.");
                    notes.Add($"{table}.{extra.Name} is only in this build's schema: left at its default");
                }
                foreach (var dropped in seedColumns.Except(targetColumns.Select(c => c.Name)))
                    notes.Add($"{table}.{dropped} is not in this build's schema: left out");
                var list = string.Join(", ", common.Select(c => $"\"{c}\""));
                Execute(connection, $"INSERT INTO main.\"{table}\" ({list}) SELECT {list} FROM seed.\"{table}\";", transaction);
                var copied = Count(connection, "main", table, transaction);
                var expected = Count(connection, "seed", table, transaction);
                if (copied != expected) throw new InvalidOperationException($"{table}: copied {copied:N0} rows of {expected:N0}.");
                rows += copied;
            }
            transaction.Commit();
        }
        var migrations = Strings(connection, $"SELECT MigrationId FROM main.\"{History}\" ORDER BY MigrationId");
        var seedMigrations = Strings(connection, $"SELECT MigrationId FROM seed.\"{History}\" ORDER BY MigrationId");
        if (!migrations.SequenceEqual(seedMigrations))
            notes.Add($"migrations differ from the seed's ({string.Join(", ", seedMigrations)}): rows copied by common columns");
        Execute(connection, "DETACH DATABASE seed;");
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        return new Result(migrations, notes, rows);
    }

    private sealed record Column(string Name, bool NotNull, string? Default, bool PrimaryKey);

    private static List<string> Tables(SqliteConnection connection, string schema) =>
        Strings(connection, $"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");

    private static List<Column> Columns(SqliteConnection connection, string schema, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {schema}.table_info(\"{table}\")";
        using var reader = command.ExecuteReader();
        var columns = new List<Column>();
        while (reader.Read())
            columns.Add(new Column(reader.GetString(1), reader.GetInt64(3) != 0, reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5) != 0));
        return columns;
    }

    private static long Count(SqliteConnection connection, string schema, string table, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT COUNT(*) FROM {schema}.\"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
