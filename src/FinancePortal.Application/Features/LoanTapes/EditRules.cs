using System.Globalization;

namespace FinancePortal.Application.Features.LoanTapes;

/// <summary>Edit families in the order the filer sees them. Syntactical and validity edits block signing.</summary>
public enum EditFamily { Syntactical, Validity, Quality, Macro }

/// <summary>One edit: code, family, the column it checks (null for file-level or any-column edits) and its message.</summary>
public sealed record EditRule(string Code, EditFamily Family, string? Column, string Message)
{
    public bool IsBlocking => Family is EditFamily.Syntactical or EditFamily.Validity;

    /// <summary>The message with its placeholders ({0}, {1}...) filled in, invariant culture.</summary>
    public string Format(params object?[] args) =>
        args.Length == 0 ? Message : string.Format(CultureInfo.InvariantCulture, Message, args);
}

/// <summary>
/// The loan-tape rule catalogue (the CFPB HMDA model: syntactical, validity, quality, macro). Each submission stores
/// <see cref="RuleSetVersion"/>; change the version whenever a rule, threshold or message changes meaning.
/// </summary>
public static class EditRules
{
    public const string RuleSetVersion = "2026.3";

    public const decimal LargePrincipal = 200_000m;
    public const decimal HighRatePct = 24m;
    public const decimal BorrowerTotalLimit = 300_000m;

    /// <summary>Days past due from which a loan is normally charged off (Q07 warns below it).</summary>
    public const int ChargeOffMinimumDpd = 90;
    public const decimal LoanCountChangeLimit = 0.50m;
    public const decimal DefaultRateChangeLimitPp = 5m;
    public const decimal DefaultShareLimit = 0.20m;

    private const EditFamily S = EditFamily.Syntactical;
    private const EditFamily V = EditFamily.Validity;
    private const EditFamily Q = EditFamily.Quality;
    private const EditFamily M = EditFamily.Macro;

    public static readonly EditRule S01 = new("S01", S, null, "The file must be a .csv or .xlsx file.");
    public static readonly EditRule S02 = new("S02", S, null, "The file is not a readable .xlsx workbook (it is not a zip archive, or it is damaged). Save it again from Excel as .xlsx, or upload a CSV file.");
    public static readonly EditRule S03 = new("S03", S, null, "The file is a password-protected workbook or an old .xls workbook. Remove the password and save it as .xlsx, or upload a CSV file.");
    public static readonly EditRule S04 = new("S04", S, null, "The workbook unpacks to more data than allowed or is compressed suspiciously strongly, so it was not read. Upload a CSV file instead.");
    public static readonly EditRule S05 = new("S05", S, null, "The file is not UTF-8 text (it may be saved as GBK/GB2312, Latin-1 or UTF-16). Save it as \"CSV UTF-8\" and upload it again.");
    public static readonly EditRule S06 = new("S06", S, null, "The file is empty: there is no header row.");
    public static readonly EditRule S07 = new("S07", S, null, "The header row is not recognised: it looks separated by {0}, not by commas. Save the file with commas as separators.");
    public static readonly EditRule S08 = new("S08", S, null, "Column {0} is missing from the header row.");
    public static readonly EditRule S09 = new("S09", S, null, "Column {0} in the header row is not a loan-tape column.");
    public static readonly EditRule S10 = new("S10", S, null, "Column {0} appears more than once in the header row.");
    public static readonly EditRule S11 = new("S11", S, null, "Row {0} has {1}; the header row has {2}.");
    public static readonly EditRule S12 = new("S12", S, null, "The file has a header row but no loan rows.");
    public static readonly EditRule S13 = new("S13", S, "platform_code", "platform_code must be {0}, the platform submitting this file.");
    public static readonly EditRule S14 = new("S14", S, "reporting_month", "reporting_month must be {0}, the period of this submission.");
    public static readonly EditRule S15 = new("S15", S, null, "A row is longer than 16 million characters, usually because a double quote (\") is not closed. Check the quotes in the file.");

    public static readonly EditRule V01 = new("V01", V, "loan_id", "loan_id must be 1 to 64 characters.");
    public static readonly EditRule V02 = new("V02", V, "loan_id", "loan_id appears more than once in the file; each loan has exactly one row.");
    public static readonly EditRule V03 = new("V03", V, "borrower_ref", "borrower_ref must be 1 to 64 characters.");
    public static readonly EditRule V04 = new("V04", V, "product_type", "product_type must be one of INSTALLMENT, CREDIT_LINE, CASH_LOAN.");
    public static readonly EditRule V05 = new("V05", V, "scenario", "scenario must be one of ECOMMERCE, DECORATION, TRAVEL, EDUCATION, OTHER.");
    public static readonly EditRule V06 = new("V06", V, "origination_date", "origination_date must be a real date written YYYY-MM-DD.");
    public static readonly EditRule V07 = new("V07", V, "origination_date", "origination_date must not be after the end of the reporting month ({0}).");
    public static readonly EditRule V08 = new("V08", V, "principal", "principal must be an amount greater than 0, with at most two decimals.");
    public static readonly EditRule V09 = new("V09", V, "credit_limit", "credit_limit must be an amount of 0 or more, with at most two decimals.");
    public static readonly EditRule V10 = new("V10", V, "term_months", "term_months must be a whole number from 1 to 60.");
    public static readonly EditRule V11 = new("V11", V, "annual_rate_pct", "annual_rate_pct must be a number from 0 to 100, with at most four decimals.");
    public static readonly EditRule V12 = new("V12", V, "outstanding_principal", "outstanding_principal must be an amount of 0 or more, with at most two decimals.");
    public static readonly EditRule V13 = new("V13", V, "days_past_due", "days_past_due must be a whole number, 0 or more.");
    public static readonly EditRule V14 = new("V14", V, "status", "status must be one of CURRENT, DELINQUENT, DEFAULTED, CHARGED_OFF, REPAID.");
    public static readonly EditRule V15 = new("V15", V, "status", "status {0} does not match days_past_due {1}: CURRENT needs 0, DELINQUENT 1 to 89, DEFAULTED 90 or more.");
    public static readonly EditRule V16 = new("V16", V, "charge_off_amount", "charge_off_amount must be an amount of 0 or more, with at most two decimals.");
    public static readonly EditRule V17 = new("V17", V, "recovery_amount", "recovery_amount must be an amount of 0 or more, with at most two decimals.");
    public static readonly EditRule V18 = new("V18", V, "funding_source", "funding_source must be one of OWN_FUNDS, BANK_COLENDING, ABS, OTHER_INSTITUTION, OTHER.");
    public static readonly EditRule V19 = new("V19", V, null, "{0} must be written without thousands separators and with '.' as the decimal point (1000.50, not 1,000.50).");
    public static readonly EditRule V20 = new("V20", V, "borrower_ref", "borrower_ref must be a pseudonymous id, but it looks like {0}. Replace it with the platform's internal borrower id; names and identity numbers must not be reported.");

    public static readonly EditRule Q01 = new("Q01", Q, "principal", "principal is above 200,000, close to the per-borrower cap. Please confirm.");
    public static readonly EditRule Q02 = new("Q02", Q, "annual_rate_pct", "annual_rate_pct is above 24%. Please confirm.");
    public static readonly EditRule Q03 = new("Q03", Q, "outstanding_principal", "outstanding_principal is greater than principal. Please confirm.");
    public static readonly EditRule Q04 = new("Q04", Q, "credit_limit", "credit_limit is lower than outstanding_principal. Please confirm.");
    public static readonly EditRule Q05 = new("Q05", Q, "borrower_ref", "The loans of this borrower_ref in the file total more than 300,000 ({0} up to this row). Please confirm.");

    // Q06 is reserved for the borrower-token edit of rule set 2027.1 (DOMAIN.md §4a: one token with several borrower_ref values).
    public static readonly EditRule Q07 = new("Q07", Q, "days_past_due", "The loan is CHARGED_OFF with days_past_due {0}; loans are normally charged off only at 90 or more days past due. Please confirm the days past due (or that this was an early write-off, e.g. for fraud or bankruptcy).");

    public static readonly EditRule M01 = new("M01", M, null, "The number of loans changed by {0:0.#}% from the previous month ({1} to {2}); a change over 50% needs confirmation.");
    public static readonly EditRule M02 = new("M02", M, null, "The default rate moved from {0:0.##}% to {1:0.##}%, more than 5 percentage points. Please confirm.");
    public static readonly EditRule M03 = new("M03", M, null, "Defaulted loans are {0:0.##}% of the outstanding balance, above 20%. Please confirm.");

    public static IReadOnlyList<EditRule> All { get; } =
    [
        S01, S02, S03, S04, S05, S06, S07, S08, S09, S10, S11, S12, S13, S14, S15,
        V01, V02, V03, V04, V05, V06, V07, V08, V09, V10, V11, V12, V13, V14, V15, V16, V17, V18, V19, V20,
        Q01, Q02, Q03, Q04, Q05, Q07,
        M01, M02, M03,
    ];

    private static readonly Dictionary<string, EditRule> ByCode = All.ToDictionary(r => r.Code);

    public static EditRule Get(string code) =>
        ByCode.TryGetValue(code, out var rule) ? rule : throw new KeyNotFoundException($"Unknown edit code '{code}'.");
}
