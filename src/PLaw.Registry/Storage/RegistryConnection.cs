using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PLaw.Registry.Storage;

/// <summary>The registry's database engines: SQLite (an embedded file, the default) or PostgreSQL (shared by many machines).</summary>
public enum RegistryProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Which database holds the registry, and how to reach it (PLaw:Registry:Provider and PLaw:Registry:ConnectionString).</summary>
public sealed record RegistryConnection(RegistryProvider Provider, string ConnectionString)
{
    public const string PostgresProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>The SQLite file at <paramref name="registryPath"/>, as the registry has always been opened.</summary>
    public static RegistryConnection SqliteFile(string registryPath) =>
        new(RegistryProvider.Sqlite, $"Data Source={registryPath};Pooling=True;Default Timeout=30");

    /// <summary>The configured registry: PLaw:Registry when it names a connection string, else the SQLite file under the data directory.</summary>
    public static RegistryConnection Of(PLawOptions options)
    {
        var configured = options.Registry;
        if (string.IsNullOrWhiteSpace(configured.ConnectionString))
        {
            if (configured.Provider == RegistryProvider.Postgres)
                throw new InvalidOperationException("PLaw:Registry:Provider is Postgres but PLaw:Registry:ConnectionString is empty: " +
                                                    "give it a connection string such as 'Host=db;Database=plaw;Username=plaw;Password=…'.");
            return SqliteFile(options.RegistryPath);
        }
        return new RegistryConnection(configured.Provider, configured.ConnectionString).WithPasswordFile(configured.PasswordFile);
    }

    /// <summary>
    /// The PostgreSQL password read from <paramref name="file"/> (a Docker or Kubernetes secret), so it is never written in a
    /// configuration file or the environment; unchanged when <paramref name="file"/> is empty.
    /// </summary>
    public RegistryConnection WithPasswordFile(string? file)
    {
        if (string.IsNullOrWhiteSpace(file)) return this;
        if (Provider != RegistryProvider.Postgres)
            throw new InvalidOperationException($"A registry password file ({file}) is for PostgreSQL; the registry is {Provider}.");
        if (!File.Exists(file)) throw new FileNotFoundException($"The registry password file {file} does not exist.", file);
        var password = File.ReadAllText(file).TrimEnd('\r', '\n');
        return this with { ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Password = password }.ConnectionString };
    }

    /// <summary>
    /// A registry named on the command line (<c>plaw worker --registry</c>): a PostgreSQL URI (<c>postgres://user:pass@host/db</c>)
    /// or key/value connection string (<c>Host=…;Database=…</c>), else a SQLite file path or connection string (<c>Data Source=…</c>).
    /// </summary>
    public static RegistryConnection Parse(string value)
    {
        var text = value.Trim();
        if (text.Length == 0) throw new ArgumentException("--registry: the registry is empty; give a connection string or a SQLite file path.");
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "postgres" or "postgresql")
            return new RegistryConnection(RegistryProvider.Postgres, FromUri(uri));
        if (text.Contains("Host=", StringComparison.OrdinalIgnoreCase) || text.Contains("Server=", StringComparison.OrdinalIgnoreCase))
            return new RegistryConnection(RegistryProvider.Postgres, text);
        if (text.Contains("Data Source=", StringComparison.OrdinalIgnoreCase)) return new RegistryConnection(RegistryProvider.Sqlite, text);
        return SqliteFile(Path.GetFullPath(text));
    }

    private static string FromUri(Uri uri)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder { Host = uri.Host, Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "plaw" };
        if (uri.Port > 0) builder.Port = uri.Port;
        if (uri.UserInfo.Split(':', 2) is [var user, ..] && user.Length > 0) builder.Username = Uri.UnescapeDataString(user);
        if (uri.UserInfo.Split(':', 2) is [_, var password]) builder.Password = Uri.UnescapeDataString(password);
        return builder.ConnectionString;
    }

    /// <summary>Configures a context for this registry, with the provider's own migrations (<see cref="ProviderMigrationsAssembly"/>).</summary>
    public void Configure(DbContextOptionsBuilder options)
    {
        if (Provider == RegistryProvider.Postgres) options.UseNpgsql(ConnectionString);
        else options.UseSqlite(ConnectionString).AddInterceptors(new SqlitePragmas());
        options.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
    }

    public static bool IsPostgres(DatabaseFacade database) => database.ProviderName == PostgresProviderName;

    /// <summary>The connection string without its password, for logs and pages.</summary>
    public string Display => Provider == RegistryProvider.Postgres
        ? new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ConnectionString
        : ConnectionString;
}

/// <summary>The "PLaw:Registry" configuration section.</summary>
public sealed class RegistryOptions
{
    /// <summary>Sqlite (default: the file under the data directory, or <see cref="ConnectionString"/>) or Postgres.</summary>
    public RegistryProvider Provider { get; set; } = RegistryProvider.Sqlite;

    /// <summary>The database's connection string; required for Postgres. Keep passwords out of files in the repository:
    /// set it from the environment (PLaw__Registry__ConnectionString) or a secrets file.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A file holding the PostgreSQL password (e.g. /run/secrets/plaw_db_password), added to <see cref="ConnectionString"/>.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>
    /// The connection string the dashboard gives remote workers (<c>plaw worker --registry https://dashboard --token …</c>) when its
    /// own names an address other machines cannot reach (Host=localhost, a Docker service name). Without a password it takes
    /// <see cref="PasswordFile"/>'s, else <see cref="ConnectionString"/>'s. Unset: workers get <see cref="ConnectionString"/>.
    /// </summary>
    public string? WorkerConnectionString { get; set; }
}
