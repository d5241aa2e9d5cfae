using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PLaw.Registry.Accounts;

internal sealed class AuditConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(a => a.Actor).HasMaxLength(AuditLog.MaxActorLength);
        builder.Property(a => a.Action).HasMaxLength(40);
        builder.Property(a => a.SubjectKind).HasMaxLength(20);
        builder.Property(a => a.Detail).HasMaxLength(AuditLog.MaxDetailLength);
        // The run and dataset pages read their own trail, newest first; the /audit page reads everything by time.
        builder.HasIndex(a => new { a.SubjectKind, a.SubjectId });
        builder.HasIndex(a => a.AtUtc);
    }
}
