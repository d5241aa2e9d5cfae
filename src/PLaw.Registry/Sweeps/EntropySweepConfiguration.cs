using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PLaw.Registry.Sweeps;

internal sealed class EntropySweepConfiguration : IEntityTypeConfiguration<EntropySweepRecord>
{
    public void Configure(EntityTypeBuilder<EntropySweepRecord> builder)
    {
        builder.ToTable("EntropySweeps");
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Phase).HasMaxLength(20);
        builder.HasIndex(s => s.Name).IsUnique();
    }
}
