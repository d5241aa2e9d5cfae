using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PLaw.Registry.Datasets;

namespace PLaw.Registry.Studies;

internal sealed class StudyConfiguration : IEntityTypeConfiguration<StudyRecord>
{
    public void Configure(EntityTypeBuilder<StudyRecord> builder)
    {
        builder.ToTable("Studies");
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Tags).HasMaxLength(400);
        builder.HasIndex(s => s.Name).IsUnique();
        builder.HasOne<DatasetRecord>().WithMany().HasForeignKey(s => s.DatasetId).OnDelete(DeleteBehavior.Cascade);
    }
}
