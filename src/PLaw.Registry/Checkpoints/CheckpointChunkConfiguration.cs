using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PLaw.Registry.Runs;

namespace PLaw.Registry.Checkpoints;

internal sealed class CheckpointChunkConfiguration : IEntityTypeConfiguration<CheckpointChunkRecord>
{
    public void Configure(EntityTypeBuilder<CheckpointChunkRecord> builder)
    {
        builder.ToTable("CheckpointChunks");
        builder.HasKey(c => new { c.RunId, c.Sequence });
        builder.Property(c => c.Sha256).HasMaxLength(64);
        // Purging a run (with its dataset) removes its checkpoint with it.
        builder.HasOne<RunRecord>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
