using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinancePortal.Infrastructure.Data.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public const int MaxName = 100;

    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.Property(t => t.Name).HasMaxLength(MaxName).IsRequired();
        b.Property(t => t.SecretHash).HasMaxLength(32).IsFixedLength().IsRequired();
        b.Property(t => t.Prefix).HasMaxLength(16).IsRequired();
        b.Property(t => t.CreatedByUserId).HasMaxLength(450).IsRequired();
        b.Property(t => t.CreatedByName).HasMaxLength(256).IsRequired();
        b.Property(t => t.Role).HasMaxLength(32).IsRequired();
        b.Property(t => t.RevokedByName).HasMaxLength(256);
        b.HasIndex(t => t.SecretHash).IsUnique();
        b.HasIndex(t => new { t.CreatedByUserId, t.CreatedUtc });
        b.HasOne<Platform>().WithMany().HasForeignKey(t => t.PlatformId).OnDelete(DeleteBehavior.Restrict);
    }
}
