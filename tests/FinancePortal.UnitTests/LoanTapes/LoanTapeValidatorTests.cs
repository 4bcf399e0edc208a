using FinancePortal.Application.Features.LoanTapes;
using static FinancePortal.UnitTests.LoanTapes.LoanTapeTestData;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>The header mapping and the field rules of the one validator both readers use.</summary>
public class LoanTapeValidatorTests
{
    private static (LoanTapeRow? Row, List<Finding> Findings) One(params (string Column, string Value)[] changes)
    {
        // The checker's findings for a one-row tape, less the macro edits (figures of one loan say nothing).
        var result = CheckLoans([Loan("L1", changes)]);
        return (result.Rows.SingleOrDefault(), result.Findings.Where(f => f.Family != EditFamily.Macro).ToList());
    }

    private static string Codes(params (string Column, string Value)[] changes) =>
        string.Join(",", One(changes).Findings.Select(f => f.Code));

    [Theory]
    [InlineData("10000", "")]
    [InlineData("0.01", "")]
    [InlineData(" 10000.50 ", "")]
    [InlineData("1,000.00", "V19")]
    [InlineData("1000,50", "V19")]
    [InlineData("1e4", "V08")]
    [InlineData("¥1000", "V08")]
    [InlineData("1000.001", "V08")]
    [InlineData("0", "V08")]
    [InlineData("-5", "V08")]
    [InlineData("", "V08")]
    [InlineData("10000000000000.01", "V08")]
    public void Principal_is_an_invariant_amount_above_zero(string value, string code) =>
        Assert.Equal(code, Codes(("principal", value), ("outstanding_principal", "0")));

    [Fact]
    public void Thousands_separators_get_their_own_plain_message()
    {
        var finding = Assert.Single(One(("days_past_due", "1,000"), ("status", "DEFAULTED")).Findings);

        Assert.Equal(("V19", "days_past_due"), (finding.Code, finding.Column));
        Assert.StartsWith("days_past_due must be written without thousands separators", finding.Message);
    }

    [Theory]
    [InlineData("2024-02-29", "")]
    [InlineData("2023-02-29", "V06")]
    [InlineData("2024-02-30", "V06")]
    [InlineData("2024-2-3", "V06")]
    [InlineData("20240203", "V06")]
    [InlineData("2026-01-31", "")]
    [InlineData("2026-02-01", "V07")]
    public void Origination_date_is_a_real_date_not_after_the_month_end(string value, string code) =>
        Assert.Equal(code, Codes(("origination_date", value)));

    [Theory]
    [InlineData("CURRENT", "0", true)]
    [InlineData("CURRENT", "1", false)]
    [InlineData("DELINQUENT", "0", false)]
    [InlineData("DELINQUENT", "1", true)]
    [InlineData("DELINQUENT", "89", true)]
    [InlineData("DELINQUENT", "90", false)]
    [InlineData("DEFAULTED", "89", false)]
    [InlineData("DEFAULTED", "90", true)]
    [InlineData("CHARGED_OFF", "200", true)] // below 90 days it is valid too, with warning Q07 (LoanTapeQualityAndMacroTests)
    [InlineData("REPAID", "400", true)]
    public void Status_must_match_days_past_due(string status, string dpd, bool valid)
    {
        var (row, findings) = One(("status", status), ("days_past_due", dpd));

        Assert.Equal(valid, row is not null);
        Assert.Equal(valid ? "" : "V15", string.Join(",", findings.Select(f => f.Code)));
    }

    [Theory]
    [InlineData("term_months", "1", "")]
    [InlineData("term_months", "60", "")]
    [InlineData("term_months", "0", "V10")]
    [InlineData("term_months", "61", "V10")]
    [InlineData("term_months", "12.0", "V10")]
    [InlineData("annual_rate_pct", "0", "")]
    [InlineData("annual_rate_pct", "100", "Q02")] // valid, with a warning
    [InlineData("annual_rate_pct", "100.0001", "V11")]
    [InlineData("annual_rate_pct", "-0.5", "V11")]
    [InlineData("annual_rate_pct", "18.12345", "V11")]
    [InlineData("credit_limit", "-0.01", "V09")]
    [InlineData("outstanding_principal", "-1", "V12")]
    [InlineData("charge_off_amount", "-1", "V16")]
    [InlineData("recovery_amount", "x", "V17")]
    [InlineData("product_type", "installment", "V04")]
    [InlineData("scenario", "SHOPPING", "V05")]
    [InlineData("funding_source", "P2P", "V18")]
    public void Field_rules(string column, string value, string code) => Assert.Equal(code, Codes((column, value)));

    [Fact]
    public void Text_fields_allow_64_characters_and_no_more()
    {
        Assert.Equal("", Codes(("loan_id", new string('x', 64)), ("borrower_ref", new string('y', 64))));
        Assert.Equal("V01,V03", Codes(("loan_id", new string('x', 65)), ("borrower_ref", new string('y', 65))));
    }

    [Fact]
    public void A_typed_row_keeps_the_values_as_written()
    {
        var (row, findings) = One(("loan_id", "=1+1"), ("annual_rate_pct", "18.5"), ("principal", "12345.67"));

        Assert.Empty(findings);
        Assert.Equal(("=1+1", 18.5m, 12345.67m, new DateOnly(2025, 7, 1)), (row!.LoanId, row.AnnualRatePct, row.Principal, row.OriginationDate));
    }

    [Fact]
    public void Duplicate_loan_ids_are_reported_on_the_later_rows()
    {
        var findings = ValidateAll([Loan("L1"), Loan("L2"), Loan("L1"), Loan("L1")]);

        Assert.Equal([3, 4], findings.Select(f => f.Row!.Value));
        Assert.All(findings, f => Assert.Equal(("V02", "L1"), (f.Code, f.LoanId)));
    }

    private static List<Finding> HeaderFindings(params string[] columns)
    {
        var findings = new List<Finding>();
        new LoanTapeValidator(Platform, Period).CheckHeader(Header(columns), findings);
        return findings;
    }

    [Fact]
    public async Task Reordered_columns_are_accepted_and_mapped_by_name()
    {
        var columns = LoanTapeFormat.Columns.Reverse().ToArray();
        var loan = Loan("L9", ("principal", "7777"));
        var csv = string.Join(",", columns) + "\n" + string.Join(",", columns.Select(c => loan[c])) + "\n";

        var result = await CheckCsvAsync(csv);

        Assert.Empty(result.Findings);
        var row = Assert.Single(result.Rows);
        Assert.Equal(("L9", 7777m), (row.LoanId, row.Principal));
    }

    [Fact]
    public void Header_names_ignore_case_and_surrounding_spaces() =>
        Assert.Empty(HeaderFindings([.. LoanTapeFormat.Columns.Select(c => " " + c.ToUpperInvariant() + " ")]));

    [Fact]
    public void Missing_unknown_and_duplicate_columns_are_syntactical_errors()
    {
        var columns = LoanTapeFormat.Columns.Where(c => c != "status" && c != "principal").Append("notes").Append("loan_id").Append("").ToArray();

        var findings = HeaderFindings(columns);

        Assert.Equal(["S09", "S10", "S09", "S08", "S08"], findings.Select(f => f.Code));
        Assert.Equal("Column 'notes' in the header row is not a loan-tape column.", findings[0].Message);
        Assert.Equal("Column 'loan_id' appears more than once in the header row.", findings[1].Message);
        Assert.Equal("Column 18 (no name) in the header row is not a loan-tape column.", findings[2].Message);
        Assert.Equal(["principal", "status"], findings.Skip(3).Select(f => f.Column));
    }

    [Fact]
    public void A_header_of_a_thousand_columns_gives_a_bounded_number_of_findings()
    {
        var findings = HeaderFindings([.. LoanTapeFormat.Columns, .. Enumerable.Range(0, 1000).Select(i => "x" + i)]);

        Assert.Equal(RawRow.MaxStoredFields - 17 + 1, findings.Count);
        Assert.Equal("Column 65 to 1017 in the header row is not a loan-tape column.", findings[^1].Message);
    }

    [Theory]
    [InlineData("platform_code;reporting_month;loan_id", "semicolons (;)")]
    [InlineData("platform_code\treporting_month\tloan_id", "tabs")]
    [InlineData("platform_code|reporting_month|loan_id", "pipes (|)")]
    public void A_header_separated_by_another_character_is_named(string header, string separator)
    {
        var validator = new LoanTapeValidator(Platform, Period);
        var findings = new List<Finding>();

        Assert.False(validator.CheckHeader(Header(header), findings));
        var finding = Assert.Single(findings);
        Assert.Equal("S07", finding.Code);
        Assert.Contains($"separated by {separator}, not by commas", finding.Message);
    }

    [Fact]
    public void Syntax_checks_field_count_platform_and_month_per_row()
    {
        var validator = Validator();
        var findings = new List<Finding>();

        validator.CheckSyntax(1, Raw(1, Loan("L1")), findings);
        validator.CheckSyntax(2, RawRow.Of(2, "JDBT", "2026-01", "L2"), findings);
        validator.CheckSyntax(3, Raw(3, Loan("L3", ("platform_code", "jdbt"), ("reporting_month", "2026-1"))), findings);
        validator.EndSyntax(findings);

        Assert.Equal(["S11", "S13", "S14"], findings.Select(f => f.Code));
        Assert.Equal("Row 2 has 3 fields; the header row has 17 fields.", findings[0].Message);
        Assert.Equal((3, "L3", "jdbt"), (findings[1].Row, findings[1].LoanId, findings[1].Value));
    }

    [Fact]
    public void A_file_without_rows_is_reported_at_the_end_of_the_syntax_pass()
    {
        var findings = new List<Finding>();
        Validator().EndSyntax(findings);

        Assert.Equal("S12", Assert.Single(findings).Code);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026/01")]
    [InlineData("")]
    public void A_malformed_period_is_a_programming_error(string period) =>
        Assert.Throws<ArgumentException>(() => new LoanTapeValidator(Platform, period));

    [Fact]
    public void Every_rule_has_a_unique_code_in_its_family_and_a_message()
    {
        Assert.Equal(EditRules.All.Count, EditRules.All.Select(r => r.Code).Distinct().Count());
        Assert.All(EditRules.All, r =>
        {
            Assert.Equal(r.Family.ToString()[0], r.Code[0]);
            Assert.False(string.IsNullOrWhiteSpace(r.Message));
        });
        Assert.Equal(EditFamily.Validity, EditRules.Get("V15").Family);
    }

    [Fact]
    public void Raw_rows_keep_bounded_text_but_know_the_real_length()
    {
        var row = RawRow.Of(1, new string('a', 100_000), "  b  ");

        Assert.Equal(RawRow.MaxStoredLength, row[0].Length);
        Assert.Equal(100_000, row.FullLength(0));
        Assert.Equal(Finding.MaxValueLength, row.ValueOf(0).Length);
        Assert.Equal("b", row[1].ToString());
    }

    [Fact]
    public void Rows_are_not_validated_against_an_incomplete_header()
    {
        var validator = new LoanTapeValidator(Platform, Period);
        validator.CheckHeader(Header([.. LoanTapeFormat.Columns.Skip(1)]), new List<Finding>());

        Assert.Throws<InvalidOperationException>(() => validator.ValidateDeferred(1, Raw(1, Loan("L1")), new List<Finding>(), out _));
    }
}

/// <summary>The fast paths for dates and amounts agree with the general parsers whenever they answer.</summary>
public class LoanTapeFastParserTests
{
    [Theory]
    [InlineData("2024-02-29")]
    [InlineData("2023-02-29")]
    [InlineData("2024-02-30")]
    [InlineData("2024-13-01")]
    [InlineData("2024-00-10")]
    [InlineData("0000-01-01")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("2024-1-01")]
    [InlineData("2024/01/01")]
    [InlineData("2024-01-0a")]
    [InlineData("2024-01-01 ")]
    [InlineData("２０２４-01-01")]
    [InlineData("")]
    public void Dates_parse_as_the_general_parser_does(string text)
    {
        var general = DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var expected);
        if (LoanTapeValidator.TryParseIsoDate(text, out var fast))
        {
            Assert.True(general);
            Assert.Equal(expected, fast);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("00")]
    [InlineData("1000.00")]
    [InlineData("0.50")]
    [InlineData("007.5")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1.2.3")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1e5")]
    [InlineData("999999999999999999")]
    [InlineData("9999999999999999999")]
    [InlineData("99999999999999999.9")]
    [InlineData("1,000")]
    [InlineData("")]
    [InlineData("١٢")]
    public void Amounts_parse_as_the_general_parser_does_with_the_same_scale(string text)
    {
        var style = System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint;
        var general = decimal.TryParse(text, style, System.Globalization.CultureInfo.InvariantCulture, out var expected);
        if (LoanTapeValidator.TryParsePlainDecimal(text, out var fast))
        {
            Assert.True(general);
            Assert.Equal(expected, fast);
            Assert.Equal(expected.Scale, fast.Scale);
            Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), fast.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
