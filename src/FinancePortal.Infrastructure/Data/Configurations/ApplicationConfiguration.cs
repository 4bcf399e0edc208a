using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinancePortal.Infrastructure.Data.Configurations;

internal sealed class AccessApplicationConfiguration : IEntityTypeConfiguration<AccessApplication>
{
    public void Configure(EntityTypeBuilder<AccessApplication> b)
    {
        b.Property(a => a.Reference).HasMaxLength(32).IsRequired();
        b.HasIndex(a => a.Reference);
        b.Property(a => a.State).HasConversion<string>().HasMaxLength(32);
        b.Property(a => a.LatestBand).HasConversion<string>().HasMaxLength(8);
        b.Property(a => a.Inputs).HasJsonConversion();
        b.Property(a => a.CreatedBy).HasMaxLength(256).IsRequired();
        b.Property(a => a.ReviewerId).HasMaxLength(450);
        b.Property(a => a.ReviewerName).HasMaxLength(256);
        b.Property(a => a.DeciderId).HasMaxLength(450);
        b.Property(a => a.DeciderName).HasMaxLength(256);
        b.Property(a => a.Recommendation).HasMaxLength(4000);
        b.Property(a => a.OpenQuestion).HasMaxLength(4000);
        b.Property(a => a.DecisionReasons).HasMaxLength(4000);
        b.Property(a => a.DecisionConditions).HasMaxLength(4000);
        b.Property(a => a.RecommendedDecision).HasConversion<string>().HasMaxLength(32);
        b.Property(a => a.PendingDecision).HasConversion<string>().HasMaxLength(32);
        b.Property(a => a.Conditions).HasJsonConversion();
        b.Property(a => a.Officials).HasJsonConversion();
        b.Property(a => a.OverrideJustification).HasMaxLength(4000);
        b.HasIndex(a => new { a.IsOverride, a.DecidedUtc });
        b.Property(a => a.LatestScore).HasPrecision(6, 2);
        b.Property(a => a.ConcurrencyStamp).IsConcurrencyToken();
        b.HasOne(a => a.Platform).WithMany().HasForeignKey(a => a.PlatformId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.State, a.SubmittedUtc });
        b.HasIndex(a => new { a.PlatformId, a.State });
        b.HasIndex(a => new { a.ReviewerId, a.State });
        b.HasIndex(a => new { a.LatestBand, a.SubmittedUtc });
        b.HasIndex(a => a.SubmittedUtc);
        b.HasMany(a => a.Versions).WithOne().HasForeignKey(v => v.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(a => a.Transitions).WithOne().HasForeignKey(t => t.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(a => a.Documents).WithOne().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(a => a.Scorings).WithOne().HasForeignKey(s => s.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ApplicationVersionConfiguration : IEntityTypeConfiguration<ApplicationVersion>
{
    public void Configure(EntityTypeBuilder<ApplicationVersion> b)
    {
        b.Property(v => v.Inputs).HasJsonConversion();
        b.Property(v => v.SubmittedBy).HasMaxLength(256).IsRequired();
        b.Property(v => v.Note).HasMaxLength(4000);
        b.HasIndex(v => new { v.ApplicationId, v.Number }).IsUnique();
    }
}

internal sealed class ApplicationTransitionConfiguration : IEntityTypeConfiguration<ApplicationTransition>
{
    public void Configure(EntityTypeBuilder<ApplicationTransition> b)
    {
        b.Property(t => t.FromState).HasConversion<string>().HasMaxLength(32);
        b.Property(t => t.ToState).HasConversion<string>().HasMaxLength(32);
        b.Property(t => t.Actor).HasMaxLength(256).IsRequired();
        b.Property(t => t.ActorRole).HasMaxLength(200).IsRequired();
        b.Property(t => t.Comment).HasMaxLength(4000).IsRequired();
        b.HasIndex(t => new { t.ApplicationId, t.Id });
    }
}

internal sealed class ApplicationDocumentConfiguration : IEntityTypeConfiguration<ApplicationDocument>
{
    public void Configure(EntityTypeBuilder<ApplicationDocument> b)
    {
        b.Property(d => d.FileName).HasMaxLength(255).IsRequired();
        b.Property(d => d.ContentType).HasMaxLength(100).IsRequired();
        b.Property(d => d.Sha256).HasMaxLength(64).IsRequired();
        b.Property(d => d.UploadedBy).HasMaxLength(256).IsRequired();
        b.HasOne(d => d.Content).WithOne().HasForeignKey<DocumentContent>(c => c.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DocumentContentConfiguration : IEntityTypeConfiguration<DocumentContent>
{
    public void Configure(EntityTypeBuilder<DocumentContent> b)
    {
        b.HasKey(c => c.DocumentId);
        b.Property(c => c.Bytes).IsRequired();
    }
}

internal sealed class ScorecardVersionConfiguration : IEntityTypeConfiguration<ScorecardVersion>
{
    public void Configure(EntityTypeBuilder<ScorecardVersion> b)
    {
        b.Property(s => s.Name).HasMaxLength(200).IsRequired();
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.Definition).HasJsonConversion();
        b.Property(s => s.CreatedBy).HasMaxLength(256).IsRequired();
        b.Property(s => s.ConcurrencyStamp).IsConcurrencyToken();
        b.HasIndex(s => s.Number).IsUnique();
        b.HasIndex(s => s.Status);
    }
}

internal sealed class ScoringConfiguration : IEntityTypeConfiguration<Scoring>
{
    public void Configure(EntityTypeBuilder<Scoring> b)
    {
        b.Property(s => s.Band).HasConversion<string>().HasMaxLength(8);
        b.Property(s => s.TotalScore).HasPrecision(6, 2);
        b.Property(s => s.Result).HasJsonConversion();
        b.Property(s => s.ScoredBy).HasMaxLength(256).IsRequired();
        b.HasOne<ScorecardVersion>().WithMany().HasForeignKey(s => s.ScorecardVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ApplicationVersion>().WithMany().HasForeignKey(s => s.ApplicationVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.ApplicationId, s.Id });
    }
}
