using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>
/// One loan of a loan tape that passed every validity edit. <see cref="RowNumber"/> is the 1-based data row (the
/// header excluded). Text fields are stored as written: values such as <c>=cmd|...</c> are plain text here and must be
/// neutralised by any export that opens in a spreadsheet.
/// </summary>
public sealed record LoanTapeRow(
    int RowNumber,
    string PlatformCode,
    string ReportingMonth,
    string LoanId,
    string BorrowerRef,
    ProductType ProductType,
    LoanScenario Scenario,
    DateOnly OriginationDate,
    decimal Principal,
    decimal CreditLimit,
    int TermMonths,
    decimal AnnualRatePct,
    decimal OutstandingPrincipal,
    int DaysPastDue,
    LoanStatus Status,
    decimal ChargeOffAmount,
    decimal RecoveryAmount,
    FundingSource FundingSource)
{
    /// <summary>The loan record of this row in a signed version.</summary>
    public LoanRecord ToRecord(LoanSubmission submission) => new()
    {
        SubmissionId = submission.Id,
        PlatformId = submission.PlatformId,
        Period = submission.Period,
        LoanId = LoanId,
        BorrowerRef = BorrowerRef,
        ProductType = LoanTapeFormat.ProductTypes.ToCode(ProductType),
        Scenario = LoanTapeFormat.Scenarios.ToCode(Scenario),
        OriginationDate = OriginationDate,
        Principal = Principal,
        CreditLimit = CreditLimit,
        TermMonths = TermMonths,
        AnnualRatePct = AnnualRatePct,
        OutstandingPrincipal = OutstandingPrincipal,
        DaysPastDue = DaysPastDue,
        Status = LoanTapeFormat.Statuses.ToCode(Status),
        ChargeOffAmount = ChargeOffAmount,
        RecoveryAmount = RecoveryAmount,
        FundingSource = LoanTapeFormat.FundingSources.ToCode(FundingSource),
    };

    /// <summary>Counts in the outstanding balance (OB): status not REPAID or CHARGED_OFF.</summary>
    public bool IsOutstanding => Status is not (LoanStatus.Repaid or LoanStatus.ChargedOff);

    /// <summary>Counts as defaulted for the default rate: DPD 90 or more, or status DEFAULTED.</summary>
    public bool IsDefaulted => DaysPastDue >= 90 || Status == LoanStatus.Defaulted;
}

/// <summary>
/// A finding of one edit. <see cref="Row"/> is the 1-based data row (header excluded), null for file-level findings;
/// <see cref="Value"/> is the offending value as written, cut to <see cref="MaxValueLength"/> characters.
/// </summary>
public sealed record Finding(string Code, int? Row, string? LoanId, string? Column, string? Value, string Message)
{
    public const int MaxValueLength = 200;

    public EditFamily Family => EditRules.Get(Code).Family;

    public bool IsBlocking => EditRules.Get(Code).IsBlocking;

    /// <summary>Cuts a value to <see cref="MaxValueLength"/> characters (the last one an ellipsis when cut).</summary>
    public static string Cut(ReadOnlySpan<char> value, int fullLength)
    {
        if (fullLength <= MaxValueLength && value.Length == fullLength)
        {
            return value.ToString();
        }

        return string.Concat(value[..Math.Min(value.Length, MaxValueLength - 1)], "…");
    }
}

/// <summary>
/// The figures of one month's tape that the macro edits compare: loan count, outstanding balance (OB: sum of
/// outstanding_principal over loans not REPAID or CHARGED_OFF) and the defaulted part of OB. Store them with a signed
/// submission and pass them as the previous month to the next check.
/// </summary>
public sealed record MonthFigures(int LoanCount, decimal OutstandingBalance, decimal DefaultedBalance)
{
    /// <summary>Defaulted OB / OB; null when OB is 0.</summary>
    public decimal? DefaultRate => OutstandingBalance > 0 ? DefaultedBalance / OutstandingBalance : null;
}
