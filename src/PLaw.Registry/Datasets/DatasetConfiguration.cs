using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PLaw.Registry.Datasets;

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<DatasetRecord>
{
    public void Configure(EntityTypeBuilder<DatasetRecord> builder)
    {
        builder.ToTable("Datasets");
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.Property(d => d.Source).HasMaxLength(1000);
        builder.Property(d => d.Format).HasMaxLength(40);
        builder.Property(d => d.Checksum).HasMaxLength(64);
        builder.Property(d => d.DeletedBy).HasMaxLength(200);
        builder.HasIndex(d => d.Name).IsUnique();
        builder.HasOne(d => d.Sequences).WithOne().HasForeignKey<DatasetSequences>(s => s.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.EntropyReports).WithOne().HasForeignKey(r => r.DatasetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DatasetSequencesConfiguration : IEntityTypeConfiguration<DatasetSequences>
{
    public void Configure(EntityTypeBuilder<DatasetSequences> builder)
    {
        builder.ToTable("DatasetSequences");
        builder.HasKey(s => s.DatasetId);
    }
}
