using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinancePortal.Infrastructure.Data.Configurations;

internal sealed class MonthlyAggregateConfiguration : IEntityTypeConfiguration<MonthlyAggregate>
{
    public void Configure(EntityTypeBuilder<MonthlyAggregate> b)
    {
        b.Property(a => a.Period).HasMaxLength(7).IsRequired();
        b.Property(a => a.ProductType).HasMaxLength(16).IsRequired();
        // The average of two months' OB can end in half a cent: keep four decimals so SQL Server stores it exactly.
        b.ComplexProperty(a => a.Figures, f => f.Property(x => x.AverageOutstanding).HasPrecision(22, 4));
        b.HasOne<Platform>().WithMany().HasForeignKey(a => a.PlatformId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.PlatformId, a.Period, a.ProductType }).IsUnique();
        b.HasIndex(a => new { a.Period, a.ProductType });
    }
}

internal sealed class IndustryAggregateConfiguration : IEntityTypeConfiguration<IndustryAggregate>
{
    public void Configure(EntityTypeBuilder<IndustryAggregate> b)
    {
        b.Property(a => a.Period).HasMaxLength(7).IsRequired();
        b.Property(a => a.ProductType).HasMaxLength(16).IsRequired();
        b.Property(a => a.MedianDefaultRate).HasPrecision(18, 10);
        b.Property(a => a.MedianPar30).HasPrecision(18, 10);
        b.Property(a => a.MedianNetChargeOffRate).HasPrecision(18, 10);
        b.ComplexProperty(a => a.Figures, f => f.Property(x => x.AverageOutstanding).HasPrecision(22, 4));
        b.HasIndex(a => new { a.Period, a.ProductType }).IsUnique();
    }
}

internal sealed class PeerRankConfiguration : IEntityTypeConfiguration<PeerRank>
{
    public void Configure(EntityTypeBuilder<PeerRank> b)
    {
        b.Property(a => a.Period).HasMaxLength(7).IsRequired();
        b.Property(a => a.ProductType).HasMaxLength(16).IsRequired();
        foreach (var name in new[] { nameof(PeerRank.DefaultRate), nameof(PeerRank.Par30), nameof(PeerRank.NetChargeOffRate) })
        {
            b.Property(name).HasPrecision(18, 10);
        }

        foreach (var name in new[] { nameof(PeerRank.DefaultRatePercentile), nameof(PeerRank.Par30Percentile), nameof(PeerRank.NetChargeOffPercentile) })
        {
            b.Property(name).HasPrecision(7, 2);
        }

        b.HasOne<Platform>().WithMany().HasForeignKey(a => a.PlatformId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.Period, a.ProductType, a.PlatformId }).IsUnique();
    }
}

internal sealed class RollRateCellConfiguration : IEntityTypeConfiguration<RollRateCell>
{
    public void Configure(EntityTypeBuilder<RollRateCell> b)
    {
        b.Property(a => a.Period).HasMaxLength(7).IsRequired();
        b.Property(a => a.ProductType).HasMaxLength(16).IsRequired();
        b.Property(a => a.From).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.To).HasConversion<string>().HasMaxLength(16);
        b.HasOne<Platform>().WithMany().HasForeignKey(a => a.PlatformId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.PlatformId, a.Period, a.ProductType });
        b.HasIndex(a => a.Period);
    }
}

internal sealed class VintageCellConfiguration : IEntityTypeConfiguration<VintageCell>
{
    public void Configure(EntityTypeBuilder<VintageCell> b)
    {
        b.Property(a => a.Period).HasMaxLength(7).IsRequired();
        b.Property(a => a.Cohort).HasMaxLength(7).IsRequired();
        b.Property(a => a.ProductType).HasMaxLength(16).IsRequired();
        b.HasOne<Platform>().WithMany().HasForeignKey(a => a.PlatformId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.PlatformId, a.Period, a.ProductType });
        b.HasIndex(a => new { a.Cohort, a.Period });
    }
}

internal sealed class MetricsRebuildJobConfiguration : IEntityTypeConfiguration<MetricsRebuildJob>
{
    public void Configure(EntityTypeBuilder<MetricsRebuildJob> b)
    {
        b.Property(j => j.Period).HasMaxLength(7).IsRequired();
        b.Property(j => j.LastError).HasMaxLength(2000);
        b.HasOne<Platform>().WithMany().HasForeignKey(j => j.PlatformId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(j => new { j.CompletedUtc, j.RequestedUtc });
    }
}

internal sealed class AlertThresholdsConfiguration : IEntityTypeConfiguration<AlertThresholds>
{
    public void Configure(EntityTypeBuilder<AlertThresholds> b)
    {
        b.Property(t => t.DefaultRateLimitPct).HasPrecision(7, 2);
        b.Property(t => t.Par30LimitPct).HasPrecision(7, 2);
        b.Property(t => t.DefaultRateJumpPp).HasPrecision(7, 2);
        b.Property(t => t.MinOwnShareCoLentPct).HasPrecision(7, 2);
        b.Property(t => t.Reason).HasMaxLength(500).IsRequired();
        b.Property(t => t.CreatedBy).HasMaxLength(256).IsRequired();
        b.HasIndex(t => t.Version).IsUnique();
    }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> b)
    {
        b.Property(a => a.Rule).HasConversion<string>().HasMaxLength(32);
        b.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.State).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Period).HasMaxLength(7).IsRequired();
        b.Property(a => a.Value).HasPrecision(18, 4);
        b.Property(a => a.Limit).HasPrecision(18, 4);
        b.Property(a => a.Message).HasMaxLength(500).IsRequired();
        b.Property(a => a.OwnerId).HasMaxLength(450);
        b.Property(a => a.OwnerName).HasMaxLength(256);
        b.Property(a => a.ConcurrencyStamp).IsConcurrencyToken();
        b.HasOne(a => a.Platform).WithMany().HasForeignKey(a => a.PlatformId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.PlatformId, a.Rule, a.Period }).IsUnique();
        b.HasIndex(a => new { a.State, a.RaisedUtc });
    }
}

internal sealed class SupervisoryActionConfiguration : IEntityTypeConfiguration<SupervisoryAction>
{
    public const int MaxText = 4000;

    public void Configure(EntityTypeBuilder<SupervisoryAction> b)
    {
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(a => a.Text).HasMaxLength(MaxText).IsRequired();
        b.Property(a => a.ActorId).HasMaxLength(450).IsRequired();
        b.Property(a => a.ActorName).HasMaxLength(256).IsRequired();
        b.HasOne(a => a.Platform).WithMany().HasForeignKey(a => a.PlatformId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Alert>().WithMany().HasForeignKey(a => a.AlertId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.PlatformId, a.CreatedUtc });
        b.HasIndex(a => a.AlertId);
    }
}

internal sealed class AlertStateChangeConfiguration : IEntityTypeConfiguration<AlertStateChange>
{
    public void Configure(EntityTypeBuilder<AlertStateChange> b)
    {
        b.Property(a => a.FromState).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.ToState).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Actor).HasMaxLength(256).IsRequired();
        b.Property(a => a.OwnerName).HasMaxLength(256);
        b.HasOne(a => a.Alert).WithMany().HasForeignKey(a => a.AlertId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.AlertId, a.TimeUtc });
        b.HasIndex(a => new { a.PlatformId, a.TimeUtc });
    }
}

internal sealed class WatchListEntryConfiguration : IEntityTypeConfiguration<WatchListEntry>
{
    public void Configure(EntityTypeBuilder<WatchListEntry> b)
    {
        b.Property(w => w.Reason).HasMaxLength(500).IsRequired();
        b.Property(w => w.AddedBy).HasMaxLength(256).IsRequired();
        b.Property(w => w.RemovedBy).HasMaxLength(256);
        b.HasOne<Platform>().WithMany().HasForeignKey(w => w.PlatformId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(w => new { w.PlatformId, w.RemovedUtc });
    }
}
