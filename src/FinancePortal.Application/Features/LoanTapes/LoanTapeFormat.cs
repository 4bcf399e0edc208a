using System.Runtime.CompilerServices;
namespace FinancePortal.Application.Features.LoanTapes;

public enum ProductType { Installment, CreditLine, CashLoan }

public enum LoanScenario { Ecommerce, Decoration, Travel, Education, Other }

public enum LoanStatus { Current, Delinquent, Defaulted, ChargedOff, Repaid }

public enum FundingSource { OwnFunds, BankColending, Abs, OtherInstitution, Other }

/// <summary>The 17 loan-tape columns, in the order of the published format (DOMAIN.md section 4).</summary>
public enum LoanTapeColumn
{
    PlatformCode, ReportingMonth, LoanId, BorrowerRef, ProductType, Scenario, OriginationDate, Principal,
    CreditLimit, TermMonths, AnnualRatePct, OutstandingPrincipal, DaysPastDue, Status, ChargeOffAmount,
    RecoveryAmount, FundingSource,
}

/// <summary>The monthly loan-tape format: column names in order and the codes of the enumerated columns.</summary>
public static class LoanTapeFormat
{
    /// <summary>Longest <c>loan_id</c> / <c>borrower_ref</c>.</summary>
    public const int MaxTextLength = 64;

    public static IReadOnlyList<string> Columns { get; } =
    [
        "platform_code", "reporting_month", "loan_id", "borrower_ref", "product_type", "scenario", "origination_date",
        "principal", "credit_limit", "term_months", "annual_rate_pct", "outstanding_principal", "days_past_due",
        "status", "charge_off_amount", "recovery_amount", "funding_source",
    ];

    public static string Name(LoanTapeColumn column) => Columns[(int)column];

    public static EnumCodes<ProductType> ProductTypes { get; } = new(
        (ProductType.Installment, "INSTALLMENT"), (ProductType.CreditLine, "CREDIT_LINE"), (ProductType.CashLoan, "CASH_LOAN"));

    public static EnumCodes<LoanScenario> Scenarios { get; } = new(
        (LoanScenario.Ecommerce, "ECOMMERCE"), (LoanScenario.Decoration, "DECORATION"), (LoanScenario.Travel, "TRAVEL"),
        (LoanScenario.Education, "EDUCATION"), (LoanScenario.Other, "OTHER"));

    public static EnumCodes<LoanStatus> Statuses { get; } = new(
        (LoanStatus.Current, "CURRENT"), (LoanStatus.Delinquent, "DELINQUENT"), (LoanStatus.Defaulted, "DEFAULTED"),
        (LoanStatus.ChargedOff, "CHARGED_OFF"), (LoanStatus.Repaid, "REPAID"));

    public static EnumCodes<FundingSource> FundingSources { get; } = new(
        (FundingSource.OwnFunds, "OWN_FUNDS"), (FundingSource.BankColending, "BANK_COLENDING"), (FundingSource.Abs, "ABS"),
        (FundingSource.OtherInstitution, "OTHER_INSTITUTION"), (FundingSource.Other, "OTHER"));
}

/// <summary>The file codes of an enumerated column. Codes are matched exactly (upper case).</summary>
public sealed class EnumCodes<T> where T : struct, Enum
{
    private readonly (T Value, string Code)[] _items;

    public EnumCodes(params (T Value, string Code)[] items)
    {
        _items = items;
        Codes = items.Select(i => i.Code).ToArray();
    }

    public IReadOnlyList<string> Codes { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryParse(ReadOnlySpan<char> text, out T value)
    {
        foreach (var (candidate, code) in _items)
        {
            if (text.SequenceEqual(code))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public string ToCode(T value)
    {
        foreach (var (candidate, code) in _items)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return code;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "Not a code of this column.");
    }
}
