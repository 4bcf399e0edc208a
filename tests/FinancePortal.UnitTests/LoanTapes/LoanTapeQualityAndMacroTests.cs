using FinancePortal.Application.Features.LoanTapes;
using static FinancePortal.UnitTests.LoanTapes.LoanTapeTestData;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>Quality (row warnings) and macro (whole-file warnings) edits, on hand-made rows.</summary>
public class LoanTapeQualityAndMacroTests
{
    private static List<Finding> Check(params Dictionary<string, string>[] loans) => ValidateAll(loans);

    [Theory]
    [InlineData("principal", "200000.01", "Q01")]
    [InlineData("principal", "200000.00", "")]
    [InlineData("annual_rate_pct", "24.01", "Q02")]
    [InlineData("annual_rate_pct", "24", "")]
    public void Large_principal_and_high_rate_are_warnings(string column, string value, string code)
    {
        var findings = Check(Loan("L1", (column, value), ("outstanding_principal", "100")));

        Assert.Equal(code, string.Join(",", findings.Select(f => f.Code)));
        Assert.All(findings, f => Assert.Equal((column, value), (f.Column, f.Value)));
    }

    [Fact]
    public void Outstanding_above_principal_is_a_warning()
    {
        var finding = Assert.Single(Check(Loan("L1", ("principal", "1000"), ("outstanding_principal", "1000.01"))));

        Assert.Equal(("Q03", "outstanding_principal", "1000.01"), (finding.Code, finding.Column, finding.Value));
        Assert.Equal(EditRules.Q03.Message, finding.Message);
    }

    [Theory]
    [InlineData("CREDIT_LINE", "5000", "5000.01", "Q04")]
    [InlineData("CREDIT_LINE", "5000", "5000", "")]
    [InlineData("CREDIT_LINE", "0", "5000", "Q04")]  // a credit line always has a limit
    [InlineData("CREDIT_LINE", "0", "0", "")]
    [InlineData("INSTALLMENT", "0", "5000", "")]     // 0 = no credit line: nothing to compare
    [InlineData("CASH_LOAN", "0", "5000", "")]
    [InlineData("INSTALLMENT", "3000", "5000", "Q04")]
    public void Credit_limit_below_outstanding_is_a_warning(string product, string limit, string outstanding, string code)
    {
        var findings = Check(Loan("L1", ("product_type", product), ("principal", "9000"), ("credit_limit", limit), ("outstanding_principal", outstanding)));

        Assert.Equal(code, string.Join(",", findings.Select(f => f.Code)));
    }

    [Theory]
    [InlineData("CHARGED_OFF", "0", "Q07")]
    [InlineData("CHARGED_OFF", "89", "Q07")]
    [InlineData("CHARGED_OFF", "90", "")]
    [InlineData("CHARGED_OFF", "400", "")]
    [InlineData("DEFAULTED", "90", "")]
    [InlineData("REPAID", "0", "")]
    public void A_charged_off_loan_below_90_days_past_due_is_a_warning(string status, string dpd, string code)
    {
        var result = CheckLoans([Loan("L1", ("status", status), ("days_past_due", dpd), ("outstanding_principal", "0"), ("charge_off_amount", "500"))]);
        var (row, findings) = (result.Rows.SingleOrDefault(), result.Findings);

        Assert.NotNull(row); // a warning: the row stays valid
        Assert.Equal(code, string.Join(",", findings.Select(f => f.Code)));
        Assert.All(findings, f =>
        {
            Assert.False(f.IsBlocking);
            Assert.Equal(("days_past_due", dpd, "L1", 1), (f.Column, f.Value, f.LoanId, f.Row));
            Assert.Equal($"The loan is CHARGED_OFF with days_past_due {dpd}; loans are normally charged off only at 90 or more days past due. Please confirm the days past due (or that this was an early write-off, e.g. for fraud or bankruptcy).", f.Message);
        });
    }

    [Fact]
    public void Borrower_total_above_300000_is_reported_once_on_the_row_that_crosses_it()
    {
        var findings = Check(
            Loan("L1", ("outstanding_principal", "0"), ("borrower_ref", "B1"), ("principal", "150000")),
            Loan("L2", ("outstanding_principal", "0"), ("borrower_ref", "B2"), ("principal", "150000")),
            Loan("L3", ("outstanding_principal", "0"), ("borrower_ref", "B1"), ("principal", "150000")),
            Loan("L4", ("outstanding_principal", "0"), ("borrower_ref", "B1"), ("principal", "0.01")),
            Loan("L5", ("outstanding_principal", "0"), ("borrower_ref", "B1"), ("principal", "100")));

        var finding = Assert.Single(findings);
        Assert.Equal(("Q05", 4, "L4", "borrower_ref", "B1"), (finding.Code, finding.Row, finding.LoanId, finding.Column, finding.Value));
        Assert.Contains("300000.01 up to this row", finding.Message);
    }

    [Fact]
    public void Warnings_do_not_stop_a_row_from_being_valid()
    {
        var result = CheckLoans([Loan("L1", ("principal", "250000"), ("annual_rate_pct", "36"))]);
        var (row, findings) = (result.Rows.SingleOrDefault(), result.Findings);

        Assert.NotNull(row);
        Assert.Equal(["Q01", "Q02"], findings.Select(f => f.Code));
        Assert.All(findings, f => Assert.False(f.IsBlocking));
    }

    /// <summary>n loans with outstanding 100 each; the first <paramref name="defaulted"/> are DEFAULTED.</summary>
    private static IEnumerable<Dictionary<string, string>> Loans(int n, int defaulted = 0) =>
        Enumerable.Range(1, n).Select(i => i <= defaulted
            ? Loan($"L{i}", ("outstanding_principal", "100"), ("days_past_due", "95"), ("status", "DEFAULTED"))
            : Loan($"L{i}", ("outstanding_principal", "100")));

    private static string MacroCodes(MonthFigures? previous, IEnumerable<Dictionary<string, string>> loans) =>
        string.Join(",", ValidateAll(loans, previous).Select(f => f.Code));

    [Theory]
    [InlineData(100, 49, "M01")]
    [InlineData(100, 50, "")]
    [InlineData(100, 150, "")]
    [InlineData(100, 151, "M01")]
    public void Loan_count_change_over_50_percent_is_a_warning(int before, int now, string code) =>
        Assert.Equal(code, MacroCodes(new MonthFigures(before, before * 100m, 0), Loans(now)));

    [Fact]
    public void Loan_count_message_gives_the_change_and_both_counts()
    {
        var finding = Assert.Single(ValidateAll(Loans(4), new MonthFigures(10, 1000m, 0)));

        Assert.Equal((null, null, "4"), (finding.Row, finding.Column, finding.Value));
        Assert.Equal("The number of loans changed by 60% from the previous month (10 to 4); a change over 50% needs confirmation.", finding.Message);
    }

    [Theory]
    [InlineData("0.04", "M02")]   // 4% -> 10%: 6 pp
    [InlineData("0.0499", "M02")]
    [InlineData("0.05", "")]      // exactly 5 pp
    [InlineData("0.15", "")]
    [InlineData("0.1501", "M02")]
    public void Default_rate_change_over_5_points_is_a_warning(string previousRate, string code)
    {
        // This month: 2 of 20 loans defaulted, equal balances: 10%.
        var rate = decimal.Parse(previousRate, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(code, MacroCodes(new MonthFigures(20, 10_000m, 10_000m * rate), Loans(20, defaulted: 2)));
    }

    [Fact]
    public void Default_rate_message_gives_both_rates()
    {
        var finding = Assert.Single(ValidateAll(Loans(20, defaulted: 2), new MonthFigures(20, 1000m, 10m)));

        Assert.Equal(("M02", "10%"), (finding.Code, finding.Value));
        Assert.Equal("The default rate moved from 1% to 10%, more than 5 percentage points. Please confirm.", finding.Message);
    }

    [Theory]
    [InlineData(4, "")]   // 20%: not above
    [InlineData(5, "M03")] // 25%
    public void Defaulted_share_above_20_percent_is_a_warning(int defaulted, string code) =>
        Assert.Equal(code, MacroCodes(null, Loans(20, defaulted)));

    [Fact]
    public void Default_rate_counts_only_outstanding_loans_and_dpd_90_or_defaulted()
    {
        var figures = CheckLoans(
        [
            Loan("L1", ("outstanding_principal", "800")),
            Loan("L2", ("outstanding_principal", "200"), ("days_past_due", "90"), ("status", "DEFAULTED")),
            Loan("L3", ("outstanding_principal", "5000"), ("days_past_due", "400"), ("status", "CHARGED_OFF")),
            Loan("L4", ("outstanding_principal", "0"), ("status", "REPAID")),
        ]).Summary.Figures!;

        Assert.Equal(new MonthFigures(4, 1000m, 200m), figures);
        Assert.Equal(0.2m, figures.DefaultRate);
    }

    [Fact]
    public void Macro_edits_are_skipped_when_rows_have_validity_errors()
    {
        var loans = Loans(20, defaulted: 10).Append(Loan("BAD", ("status", "LATE")));

        Assert.Equal("V14", MacroCodes(new MonthFigures(1000, 1m, 0m), loans));
    }

    [Fact]
    public void Without_a_previous_month_only_the_defaulted_share_is_checked() =>
        Assert.Equal("M03", MacroCodes(null, Loans(2, defaulted: 1)));
}
