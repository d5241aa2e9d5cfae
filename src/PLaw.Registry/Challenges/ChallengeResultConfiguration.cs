using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PLaw.Registry.Runs;

namespace PLaw.Registry.Challenges;

internal sealed class ChallengeResultConfiguration : IEntityTypeConfiguration<ChallengeResultRecord>
{
    public void Configure(EntityTypeBuilder<ChallengeResultRecord> builder)
    {
        builder.ToTable("ChallengeResults");
        builder.HasKey(c => c.RunId);
        // Purging a run (with its dataset) removes its stored report with it.
        builder.HasOne<RunRecord>().WithOne().HasForeignKey<ChallengeResultRecord>(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
