using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PLaw.Registry.Datasets;
using PLaw.Registry.Studies;

namespace PLaw.Registry.Runs;

internal sealed class RunConfiguration : IEntityTypeConfiguration<RunRecord>
{
    public void Configure(EntityTypeBuilder<RunRecord> builder)
    {
        builder.ToTable("Runs");
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Model).HasMaxLength(20);
        builder.Property(r => r.Precision).HasMaxLength(10);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(12);
        builder.Property(r => r.Tags).HasMaxLength(400);
        builder.Property(r => r.Host).HasMaxLength(200);
        builder.Property(r => r.WorkerId).HasMaxLength(200);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => r.Status);
        builder.HasIndex(r => r.StudyId);
        // The runs list sorts by these (best first, by name) and filters by family at 10,000 runs (migration RunsListIndexes).
        builder.HasIndex(r => r.TestNdcg10);
        builder.HasIndex(r => r.Name);
        builder.HasIndex(r => r.Model);
        builder.HasOne<DatasetRecord>().WithMany().HasForeignKey(r => r.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StudyRecord>().WithMany().HasForeignKey(r => r.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MetricPointConfiguration : IEntityTypeConfiguration<MetricPointRecord>
{
    public void Configure(EntityTypeBuilder<MetricPointRecord> builder)
    {
        builder.ToTable("MetricPoints");
        builder.HasKey(p => new { p.RunId, p.Split, p.Name, p.Step });
        builder.Property(p => p.Split).HasMaxLength(8);
        builder.Property(p => p.Name).HasMaxLength(40);
        builder.HasOne<RunRecord>().WithMany().HasForeignKey(p => p.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RunEventConfiguration : IEntityTypeConfiguration<RunEventRecord>
{
    public void Configure(EntityTypeBuilder<RunEventRecord> builder)
    {
        builder.ToTable("RunEvents");
        builder.Property(e => e.Text).HasMaxLength(4000);
        builder.HasIndex(e => e.RunId);
        builder.HasOne<RunRecord>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
