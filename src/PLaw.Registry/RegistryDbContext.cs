using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PLaw.Registry.Accounts;
using PLaw.Registry.Challenges;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;
using PLaw.Registry.Sweeps;
using PLaw.Registry.Workers;

namespace PLaw.Registry;

/// <summary>
/// The experiment registry: datasets, their sequences and cached entropy tables; studies, runs, their metrics and events;
/// users, roles, API tokens and the audit trail (Identity's tables).
/// </summary>
public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : IdentityDbContext<PLawUser>(options)
{
    /// <summary>Identity's table layout, fixed here so the model (and so the migrations) never depends on who registered Identity.</summary>
    public static readonly Version IdentitySchema = IdentitySchemaVersions.Version2;

    public DbSet<DatasetRecord> Datasets => Set<DatasetRecord>();
    public DbSet<DatasetSequences> DatasetSequences => Set<DatasetSequences>();
    public DbSet<EntropyReportRecord> EntropyReports => Set<EntropyReportRecord>();
    public DbSet<StudyRecord> Studies => Set<StudyRecord>();
    public DbSet<RunRecord> Runs => Set<RunRecord>();
    public DbSet<MetricPointRecord> MetricPoints => Set<MetricPointRecord>();
    public DbSet<RunEventRecord> RunEvents => Set<RunEventRecord>();
    public DbSet<EntropySweepRecord> EntropySweeps => Set<EntropySweepRecord>();
    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();
    public DbSet<AuditRecord> AuditEntries => Set<AuditRecord>();
    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();
    public DbSet<CheckpointChunkRecord> CheckpointChunks => Set<CheckpointChunkRecord>();
    public DbSet<ChallengeResultRecord> ChallengeResults => Set<ChallengeResultRecord>();

    protected override Version SchemaVersion => IdentitySchema;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpRunVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpRunVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Every changed run gets the next <see cref="RunRecord.Version"/>; its UPDATE still requires the version it was read with.</summary>
    private void BumpRunVersions()
    {
        foreach (var entry in ChangeTracker.Entries<RunRecord>())
            if (entry.State == EntityState.Modified)
                entry.Property(r => r.Version).CurrentValue = entry.Property(r => r.Version).OriginalValue + 1;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistryDbContext).Assembly);
        PinIdentityColumns(modelBuilder);
        // A deleted dataset (restorable until purged) and its studies and runs are left out of every query: lists, pages,
        // laws, exports and the queue. Restoring, purging and the deleted list opt out with IgnoreQueryFilters.
        modelBuilder.Entity<DatasetRecord>().HasQueryFilter(d => d.DeletedUtc == null);
        modelBuilder.Entity<StudyRecord>().HasQueryFilter(s => Set<DatasetRecord>().Any(d => d.Id == s.DatasetId && d.DeletedUtc == null));
        modelBuilder.Entity<RunRecord>().HasQueryFilter(r => Set<DatasetRecord>().Any(d => d.Id == r.DatasetId && d.DeletedUtc == null));
    }

    /// <summary>
    /// Identity's column lengths as the migrations made them (unbounded). The ASP.NET Core shared framework the dashboard runs
    /// on (10.0.12) bounds these (login and token keys 128, PhoneNumber 256) where the NuGet package the CLI and workers load
    /// does not; on PostgreSQL the difference made the dashboard's model disagree with the migrations and refuse to start.
    /// </summary>
    private static void PinIdentityColumns(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PLawUser>().Property(u => u.PhoneNumber).Metadata.SetMaxLength(null);
        modelBuilder.Entity<IdentityUserLogin<string>>(b =>
        {
            b.Property(l => l.LoginProvider).Metadata.SetMaxLength(null);
            b.Property(l => l.ProviderKey).Metadata.SetMaxLength(null);
        });
        modelBuilder.Entity<IdentityUserToken<string>>(b =>
        {
            b.Property(t => t.LoginProvider).Metadata.SetMaxLength(null);
            b.Property(t => t.Name).Metadata.SetMaxLength(null);
        });
    }
}
