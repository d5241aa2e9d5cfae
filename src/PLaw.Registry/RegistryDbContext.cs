using Microsoft.EntityFrameworkCore;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;

namespace PLaw.Registry;

/// <summary>The experiment registry: datasets, their sequences and their cached entropy tables.</summary>
public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : DbContext(options)
{
    public DbSet<DatasetRecord> Datasets => Set<DatasetRecord>();
    public DbSet<DatasetSequences> DatasetSequences => Set<DatasetSequences>();
    public DbSet<EntropyReportRecord> EntropyReports => Set<EntropyReportRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistryDbContext).Assembly);
}
