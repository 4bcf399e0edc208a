using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinancePortal.Infrastructure.Data.Configurations;

internal sealed class LoanSubmissionConfiguration : IEntityTypeConfiguration<LoanSubmission>
{
    public void Configure(EntityTypeBuilder<LoanSubmission> b)
    {
        b.Property(s => s.Period).HasMaxLength(7).IsFixedLength(false).IsRequired();
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(24);
        b.Property(s => s.FileName).HasMaxLength(255).IsRequired();
        b.Property(s => s.FileSha256).HasMaxLength(64).IsRequired();
        b.Property(s => s.UploadedBy).HasMaxLength(256).IsRequired();
        b.Property(s => s.RuleSetVersion).HasMaxLength(16);
        b.Property(s => s.WarningsAcknowledgedBy).HasMaxLength(256);
        b.Property(s => s.SignedBy).HasMaxLength(256);
        b.Property(s => s.AttestedName).HasMaxLength(200);
        b.Property(s => s.FailureMessage).HasMaxLength(2000);
        b.Property(s => s.ConfirmationNumber).HasMaxLength(32);
        b.Property(s => s.ConcurrencyStamp).IsConcurrencyToken();
        b.HasOne(s => s.Platform).WithMany().HasForeignKey(s => s.PlatformId).OnDelete(DeleteBehavior.Restrict);
        // One version N per platform and month: two signings racing for the same number cannot both commit.
        b.HasIndex(s => new { s.PlatformId, s.Period, s.Version }).IsUnique();
        b.HasIndex(s => new { s.Period, s.Status });
        // A receipt's confirmation number names one signed version (SQL Server filters out the nulls of unsigned uploads).
        b.HasIndex(s => s.ConfirmationNumber).IsUnique();
    }
}

internal sealed class SubmissionFindingConfiguration : IEntityTypeConfiguration<SubmissionFinding>
{
    public void Configure(EntityTypeBuilder<SubmissionFinding> b)
    {
        b.Property(f => f.Code).HasMaxLength(8).IsRequired();
        b.Property(f => f.LoanId).HasMaxLength(64);
        b.Property(f => f.Column).HasMaxLength(64);
        b.Property(f => f.Value).HasMaxLength(256);
        b.Property(f => f.Message).HasMaxLength(1000).IsRequired();
        b.HasOne<LoanSubmission>().WithMany().HasForeignKey(f => f.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => new { f.SubmissionId, f.Code, f.Row });
        b.HasIndex(f => new { f.SubmissionId, f.Row });
    }
}

internal sealed class LoanRecordConfiguration : IEntityTypeConfiguration<LoanRecord>
{
    public void Configure(EntityTypeBuilder<LoanRecord> b)
    {
        b.Property(r => r.Period).HasMaxLength(7).IsRequired();
        b.Property(r => r.LoanId).HasMaxLength(64).IsRequired();
        b.Property(r => r.BorrowerRef).HasMaxLength(64).IsRequired();
        b.Property(r => r.ProductType).HasMaxLength(16).IsRequired();
        b.Property(r => r.Scenario).HasMaxLength(16).IsRequired();
        b.Property(r => r.Status).HasMaxLength(16).IsRequired();
        b.Property(r => r.FundingSource).HasMaxLength(24).IsRequired();
        b.Property(r => r.AnnualRatePct).HasPrecision(7, 4);
        b.HasOne<LoanSubmission>().WithMany().HasForeignKey(r => r.SubmissionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.SubmissionId, r.LoanId }).IsUnique();
        b.HasIndex(r => new { r.PlatformId, r.Period });
    }
}
