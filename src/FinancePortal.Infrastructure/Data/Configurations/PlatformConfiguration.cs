using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinancePortal.Infrastructure.Data.Configurations;

internal sealed class PlatformConfiguration : IEntityTypeConfiguration<Platform>
{
    public void Configure(EntityTypeBuilder<Platform> b)
    {
        b.Property(p => p.Code).HasMaxLength(16).IsRequired();
        b.HasIndex(p => p.Code).IsUnique();
        b.Property(p => p.LegalName).HasMaxLength(200).IsRequired();
        b.Property(p => p.Province).HasMaxLength(32).IsRequired();
        b.HasIndex(p => p.Province);
        b.Property(p => p.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(p => p.LicenceStatus).HasConversion<string>().HasMaxLength(32);
        b.Property(p => p.ConcurrencyStamp).IsConcurrencyToken();
        b.HasMany(p => p.LicenceHistory).WithOne(h => h.Platform).HasForeignKey(h => h.PlatformId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LicenceChangeConfiguration : IEntityTypeConfiguration<LicenceChange>
{
    public void Configure(EntityTypeBuilder<LicenceChange> b)
    {
        b.Property(h => h.FromStatus).HasConversion<string>().HasMaxLength(32);
        b.Property(h => h.ToStatus).HasConversion<string>().HasMaxLength(32);
        b.Property(h => h.Reason).HasMaxLength(2000).IsRequired();
        b.Property(h => h.Actor).HasMaxLength(256).IsRequired();
        b.HasIndex(h => new { h.PlatformId, h.ChangedUtc });
    }
}

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200).IsRequired();
        b.Property(u => u.JobTitle).HasMaxLength(200).IsRequired();
        b.Property(u => u.Provinces).HasMaxLength(1000).IsRequired();
        b.HasOne<Platform>().WithMany().HasForeignKey(u => u.PlatformId).OnDelete(DeleteBehavior.Restrict);
    }
}
