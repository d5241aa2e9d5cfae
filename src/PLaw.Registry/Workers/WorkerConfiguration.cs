using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PLaw.Registry.Workers;

internal sealed class WorkerConfiguration : IEntityTypeConfiguration<WorkerRecord>
{
    public void Configure(EntityTypeBuilder<WorkerRecord> builder)
    {
        builder.ToTable("Workers");
        builder.Property(w => w.Id).HasMaxLength(200);
        builder.Property(w => w.Host).HasMaxLength(200);
        builder.Property(w => w.Program).HasMaxLength(100);
        builder.Property(w => w.Devices).HasMaxLength(400);
        builder.Property(w => w.Backends).HasMaxLength(100);
    }
}
