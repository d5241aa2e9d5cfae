using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PLaw.Registry.Entropy;

internal sealed class EntropyReportConfiguration : IEntityTypeConfiguration<EntropyReportRecord>
{
    public void Configure(EntityTypeBuilder<EntropyReportRecord> builder)
    {
        builder.ToTable("EntropyReports");
        builder.Property(r => r.Variant).HasMaxLength(40);
        builder.HasIndex(r => new { r.DatasetId, r.MaxLen, r.M, r.R, r.Variant }).IsUnique();
    }
}
