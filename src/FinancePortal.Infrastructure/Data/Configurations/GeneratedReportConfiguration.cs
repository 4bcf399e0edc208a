using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinancePortal.Infrastructure.Data.Configurations;

internal sealed class GeneratedReportConfiguration : IEntityTypeConfiguration<GeneratedReport>
{
    public void Configure(EntityTypeBuilder<GeneratedReport> b)
    {
        b.Property(r => r.Kind).HasMaxLength(32).IsRequired();
        b.Property(r => r.Period).HasMaxLength(7).IsRequired();
        b.Property(r => r.ParametersJson).IsRequired();
        b.Property(r => r.DataVersionsJson).IsRequired();
        b.Property(r => r.PlatformIdsJson).IsRequired();
        b.Property(r => r.FileName).HasMaxLength(260).IsRequired();
        b.Property(r => r.Sha256).HasMaxLength(64).IsUnicode(false).IsRequired();
        b.Property(r => r.GeneratedById).HasMaxLength(450).IsRequired();
        b.Property(r => r.GeneratedBy).HasMaxLength(256).IsRequired();
        b.Property(r => r.Language).HasMaxLength(8).IsUnicode(false).IsRequired();
        b.HasIndex(r => r.GeneratedUtc);
        b.HasIndex(r => new { r.GeneratedById, r.GeneratedUtc });
        b.HasIndex(r => new { r.Period, r.Kind });
    }
}
