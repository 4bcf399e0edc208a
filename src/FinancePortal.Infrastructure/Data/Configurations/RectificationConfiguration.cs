using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinancePortal.Infrastructure.Data.Configurations;

internal sealed class RectificationRequestConfiguration : IEntityTypeConfiguration<RectificationRequest>
{
    public void Configure(EntityTypeBuilder<RectificationRequest> b)
    {
        b.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Text).HasMaxLength(SupervisoryActionConfiguration.MaxText).IsRequired();
        b.Property(r => r.RequestedById).HasMaxLength(450).IsRequired();
        b.Property(r => r.RequestedByName).HasMaxLength(256).IsRequired();
        b.Property(r => r.ConcurrencyStamp).IsConcurrencyToken();
        b.HasOne(r => r.Platform).WithMany().HasForeignKey(r => r.PlatformId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Alert>().WithMany().HasForeignKey(r => r.AlertId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SupervisoryAction>().WithMany().HasForeignKey(r => r.SupervisoryActionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.PlatformId, r.State, r.DueDate });
        b.HasIndex(r => r.AlertId);
        b.HasIndex(r => r.SupervisoryActionId).IsUnique();
    }
}

internal sealed class RectificationMessageConfiguration : IEntityTypeConfiguration<RectificationMessage>
{
    public void Configure(EntityTypeBuilder<RectificationMessage> b)
    {
        b.Property(m => m.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.Text).HasMaxLength(SupervisoryActionConfiguration.MaxText).IsRequired();
        b.Property(m => m.ActorId).HasMaxLength(450).IsRequired();
        b.Property(m => m.ActorName).HasMaxLength(256).IsRequired();
        b.HasOne(m => m.Request).WithMany().HasForeignKey(m => m.RequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(m => m.Attachments).WithOne().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(m => new { m.RequestId, m.TimeUtc });
    }
}

internal sealed class RectificationAttachmentConfiguration : IEntityTypeConfiguration<RectificationAttachment>
{
    public void Configure(EntityTypeBuilder<RectificationAttachment> b)
    {
        b.Property(a => a.FileName).HasMaxLength(255).IsRequired();
        b.Property(a => a.ContentType).HasMaxLength(128).IsRequired();
        b.Property(a => a.Sha256).HasMaxLength(64).IsFixedLength().IsRequired();
        b.HasOne<RectificationRequest>().WithMany().HasForeignKey(a => a.RequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => a.RequestId);
    }
}
