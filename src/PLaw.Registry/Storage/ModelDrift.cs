using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace PLaw.Registry.Storage;

/// <summary>
/// What the provider's migrations (their model snapshot) lack of the model this process builds, as EF Core's own
/// "pending model changes" check computes it, one readable line per operation. Empty when the migrations describe the model.
/// </summary>
public static class ModelDrift
{
    public static IReadOnlyList<string> Of(RegistryDbContext db)
    {
        // A fresh snapshot: the assembly's own may be finalized already (by the migration that failed).
        var snapshot = db.GetService<IMigrationsAssembly>().ModelSnapshot is { } own
            ? ((ModelSnapshot)Activator.CreateInstance(own.GetType())!).Model
            : null;
        if (snapshot is IMutableModel mutable) snapshot = mutable.FinalizeModel();
        if (snapshot is not null) snapshot = db.GetService<IModelRuntimeInitializer>().Initialize(snapshot);
        var model = db.GetService<IDesignTimeModel>().Model.GetRelationalModel();
        return db.GetService<IMigrationsModelDiffer>().GetDifferences(snapshot?.GetRelationalModel(), model).Select(Describe).ToList();
    }

    private static string Describe(MigrationOperation operation) => operation switch
    {
        AlterColumnOperation a => $"alter column {a.Table}.{a.Name}: {Column(a.OldColumn)} -> {Column(a)}",
        AddColumnOperation a => $"add column {a.Table}.{a.Name} {Column(a)}",
        DropColumnOperation d => $"drop column {d.Table}.{d.Name}",
        CreateTableOperation c => $"create table {c.Name}",
        DropTableOperation d => $"drop table {d.Name}",
        CreateIndexOperation i => $"create index {i.Name} on {i.Table}({string.Join(", ", i.Columns)})",
        DropIndexOperation i => $"drop index {i.Name}",
        InsertDataOperation i => $"insert data into {i.Table}",
        UpdateDataOperation u => $"update data in {u.Table}",
        DeleteDataOperation d => $"delete data from {d.Table}",
        _ => operation.GetType().Name,
    };

    private static string Column(ColumnOperation c) =>
        $"{c.ColumnType ?? c.ClrType.Name}{(c.MaxLength is { } max ? $"({max})" : "")}{(c.IsNullable ? " null" : " not null")}" +
        $"{(c.DefaultValue is { } d ? $" default {d}" : "")}{(c.DefaultValueSql is { } s ? $" default {s}" : "")}";
}
