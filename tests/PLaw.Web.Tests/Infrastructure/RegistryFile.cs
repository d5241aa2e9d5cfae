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
