using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinancePortal.Infrastructure.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public const int MaxSummary = 4000;

    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.Actor).HasMaxLength(256).IsRequired();
        b.Property(a => a.Role).HasMaxLength(200).IsRequired();
        b.Property(a => a.Action).HasMaxLength(64).IsRequired();
        b.Property(a => a.EntityType).HasMaxLength(64).IsRequired();
        b.Property(a => a.EntityId).HasMaxLength(128);
        b.Property(a => a.Summary).HasMaxLength(MaxSummary).IsRequired();
        b.Property(a => a.ApiToken).HasMaxLength(ApiTokenConfiguration.MaxName);
        b.HasIndex(a => a.TimeUtc);
        b.HasIndex(a => new { a.Action, a.TimeUtc });
        b.HasIndex(a => new { a.Actor, a.TimeUtc });
        b.HasIndex(a => new { a.PlatformId, a.TimeUtc });
    }
}
