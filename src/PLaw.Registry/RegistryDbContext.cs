using Microsoft.EntityFrameworkCore;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;
using PLaw.Registry.Sweeps;

namespace PLaw.Registry;

/// <summary>The experiment registry: datasets, their sequences and cached entropy tables; studies, runs, their metrics and events.</summary>
public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : DbContext(options)
{
    public DbSet<DatasetRecord> Datasets => Set<DatasetRecord>();
    public DbSet<DatasetSequences> DatasetSequences => Set<DatasetSequences>();
    public DbSet<EntropyReportRecord> EntropyReports => Set<EntropyReportRecord>();
    public DbSet<StudyRecord> Studies => Set<StudyRecord>();
    public DbSet<RunRecord> Runs => Set<RunRecord>();
    public DbSet<MetricPointRecord> MetricPoints => Set<MetricPointRecord>();
    public DbSet<RunEventRecord> RunEvents => Set<RunEventRecord>();
    public DbSet<EntropySweepRecord> EntropySweeps => Set<EntropySweepRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistryDbContext).Assembly);
}
