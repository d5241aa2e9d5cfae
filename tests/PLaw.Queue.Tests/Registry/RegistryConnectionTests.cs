using Npgsql;
using PLaw.Registry;
using PLaw.Registry.Storage;

namespace PLaw.Queue.Tests.Registry;

/// <summary>How a registry is named: configuration (PLaw:Registry), <c>plaw worker --registry</c>, and a password file.</summary>
public sealed class RegistryConnectionTests
{
    [Fact]
    public void TheCommandLineNamesPostgresByUriOrKeywordsAndSqliteByPath()
    {
        var uri = RegistryConnection.Parse("postgres://plaw:p%40ss@db.example:5433/registry");
        Assert.Equal(RegistryProvider.Postgres, uri.Provider);
        var parsed = new NpgsqlConnectionStringBuilder(uri.ConnectionString);
        Assert.Equal(("db.example", 5433, "registry", "plaw", "p@ss"), (parsed.Host, parsed.Port, parsed.Database, parsed.Username, parsed.Password));
        Assert.DoesNotContain("p@ss", uri.Display, StringComparison.Ordinal);
        Assert.Equal(RegistryProvider.Postgres, RegistryConnection.Parse("Host=db;Database=plaw;Username=plaw").Provider);
        var file = RegistryConnection.Parse("some/registry.db");
        Assert.Equal((RegistryProvider.Sqlite, RegistryConnection.SqliteFile(Path.GetFullPath("some/registry.db")).ConnectionString),
            (file.Provider, file.ConnectionString));
        Assert.Throws<ArgumentException>(() => RegistryConnection.Parse("  "));
    }

    [Fact]
    public void ConfigurationKeepsTheSqliteDefaultAndReadsThePasswordFromItsFile()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-registry-connection-").FullName;
        try
        {
            var options = new PLawOptions { DataDirectory = folder };
            Assert.Equal(RegistryConnection.SqliteFile(options.RegistryPath), RegistryConnection.Of(options));

            var secret = Path.Combine(folder, "db-password");
            File.WriteAllText(secret, "s3cret;with=odd chars\n");
            options.Registry = new RegistryOptions { Provider = RegistryProvider.Postgres, ConnectionString = "Host=db;Database=plaw;Username=plaw", PasswordFile = secret };
            var postgres = RegistryConnection.Of(options);
            Assert.Equal("s3cret;with=odd chars", new NpgsqlConnectionStringBuilder(postgres.ConnectionString).Password);

            options.Registry = new RegistryOptions { Provider = RegistryProvider.Postgres };
            Assert.Contains("PLaw:Registry:ConnectionString", Assert.Throws<InvalidOperationException>(() => RegistryConnection.Of(options)).Message,
                StringComparison.Ordinal);
            options.Registry = new RegistryOptions { Provider = RegistryProvider.Postgres, ConnectionString = "Host=db", PasswordFile = secret + ".missing" };
            Assert.Throws<FileNotFoundException>(() => RegistryConnection.Of(options));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
