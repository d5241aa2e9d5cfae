using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace PLaw.Registry.Storage;

/// <summary>
/// The registry's migrations for the context's provider: SQLite's in namespace <c>PLaw.Registry.Migrations</c>
/// (migrations/), PostgreSQL's in <c>PLaw.Registry.Migrations.Postgres</c> (migrations/Postgres/), each with its own model
/// snapshot. Both sets are compiled into this assembly; EF Core's default would mix them.
/// </summary>
public sealed class ProviderMigrationsAssembly(ICurrentDbContext current, IMigrationsIdGenerator ids) : IMigrationsAssembly
{
    public const string SqliteNamespace = "PLaw.Registry.Migrations";
    public const string PostgresNamespace = "PLaw.Registry.Migrations.Postgres";

    private readonly string ns = RegistryConnection.IsPostgres(current.Context.Database) ? PostgresNamespace : SqliteNamespace;
    private IReadOnlyDictionary<string, TypeInfo>? migrations;
    private ModelSnapshot? snapshot;

    public Assembly Assembly => typeof(RegistryDbContext).Assembly;

    private IEnumerable<TypeInfo> Ours => Assembly.DefinedTypes.Where(t => !t.IsAbstract && t.Namespace == ns &&
        t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(RegistryDbContext));

    public IReadOnlyDictionary<string, TypeInfo> Migrations => migrations ??= Ours
        .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<MigrationAttribute>() is not null)
        .Select(t => (Id: t.GetCustomAttribute<MigrationAttribute>()!.Id, Type: t))
        .OrderBy(m => m.Id, StringComparer.Ordinal)
        .ToDictionary(m => m.Id, m => m.Type);

    public ModelSnapshot? ModelSnapshot => snapshot ??= Ours.Where(t => t.IsSubclassOf(typeof(ModelSnapshot)))
        .Select(t => (ModelSnapshot)Activator.CreateInstance(t.AsType())!).SingleOrDefault();

    public string? FindMigrationId(string nameOrId) => Migrations.Keys.FirstOrDefault(ids.IsValidId(nameOrId)
        ? id => string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
        : id => string.Equals(ids.GetName(id), nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }
}
