using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

using FinancePortal.Infrastructure.Data;

namespace FinancePortal.Infrastructure.LoanTapes.Bulk;

/// <summary>The LoanRecords table as the EF model maps it, so bulk writers never drift from the schema.</summary>
public sealed record LoanRecordColumns(string Table, IReadOnlyList<(string Column, string Property, Func<LoanRecord, object> Value)> Columns)
{
    public static LoanRecordColumns From(IEntityType entity)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        (string, string, Func<LoanRecord, object>) Map(string property, Func<LoanRecord, object> value) =>
            (entity.FindProperty(property)!.GetColumnName(table)!, property, value);

        return new LoanRecordColumns(entity.GetTableName()!,
        [
            Map(nameof(LoanRecord.SubmissionId), r => r.SubmissionId),
            Map(nameof(LoanRecord.PlatformId), r => r.PlatformId),
            Map(nameof(LoanRecord.Period), r => r.Period),
            Map(nameof(LoanRecord.LoanId), r => r.LoanId),
            Map(nameof(LoanRecord.BorrowerRef), r => r.BorrowerRef),
            Map(nameof(LoanRecord.ProductType), r => r.ProductType),
            Map(nameof(LoanRecord.Scenario), r => r.Scenario),
            Map(nameof(LoanRecord.OriginationDate), r => r.OriginationDate),
            Map(nameof(LoanRecord.Principal), r => r.Principal),
            Map(nameof(LoanRecord.CreditLimit), r => r.CreditLimit),
            Map(nameof(LoanRecord.TermMonths), r => r.TermMonths),
            Map(nameof(LoanRecord.AnnualRatePct), r => r.AnnualRatePct),
            Map(nameof(LoanRecord.OutstandingPrincipal), r => r.OutstandingPrincipal),
            Map(nameof(LoanRecord.DaysPastDue), r => r.DaysPastDue),
            Map(nameof(LoanRecord.Status), r => r.Status),
            Map(nameof(LoanRecord.ChargeOffAmount), r => r.ChargeOffAmount),
            Map(nameof(LoanRecord.RecoveryAmount), r => r.RecoveryAmount),
            Map(nameof(LoanRecord.FundingSource), r => r.FundingSource),
        ]);
    }
}
