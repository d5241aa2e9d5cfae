using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PLaw.Registry.Accounts;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiTokenRecord>
{
    public void Configure(EntityTypeBuilder<ApiTokenRecord> builder)
    {
        builder.ToTable("ApiTokens");
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Prefix).HasMaxLength(ApiTokens.PrefixLength);
        builder.Property(t => t.Hash).HasMaxLength(64);
        builder.Property(t => t.Scope).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.HasIndex(t => t.UserId);
        // A removed user's tokens go with it (they are revoked first, so nothing in flight still passes).
        builder.HasOne<PLawUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
