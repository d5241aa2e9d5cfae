using Microsoft.Data.Sqlite;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>Reads a dashboard's SQLite registry file directly, the way an outside observer would (read-only).</summary>
public static class RegistryFile
{
    public static T Scalar<T>(string registryPath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={registryPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static List<string> Strings(string registryPath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={registryPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return values;
    }

    /// <summary>
    /// Polls until <paramref name="condition"/> holds while training moves: fails only when the registry's steps and metric points
    /// have not changed for <paramref name="stall"/> (or after an hour). A loaded CI machine trains slower, not never, so a
    /// wall-clock limit on a whole run fails there while this still catches a stuck worker.
    /// </summary>
    public static async Task WaitWhileTrainingMovesAsync(string registryPath, Func<bool> condition, TimeSpan stall, string what)
    {
        const string moved = "SELECT (SELECT COALESCE(SUM(StepsDone), 0) FROM Runs) + (SELECT COUNT(*) FROM MetricPoints)";
        var (start, last, lastMove) = (DateTime.UtcNow, Scalar<long>(registryPath, moved), DateTime.UtcNow);
        while (!condition())
        {
            var now = Scalar<long>(registryPath, moved);
            if (now != last) (last, lastMove) = (now, DateTime.UtcNow);
            if (DateTime.UtcNow - lastMove > stall)
                throw new TimeoutException($"Waited for {what}: no training step or metric point for {stall.TotalSeconds:F0} s " +
                                           $"({(DateTime.UtcNow - start).TotalSeconds:F0} s in all).");
            if (DateTime.UtcNow - start > TimeSpan.FromHours(1)) throw new TimeoutException($"Waited an hour for {what}.");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds (the server writes on its own schedule).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for {what}.");
            await Task.Delay(100);
        }
    }
}
