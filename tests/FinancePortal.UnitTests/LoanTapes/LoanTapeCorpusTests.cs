using FinancePortal.Application.Features.LoanTapes;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>
/// The bad-input corpus (LoanTapes/Corpus, written by make_corpus.py): every file, the exact edit codes it raises in
/// order, and for the key ones a piece of the message the filer reads.
/// </summary>
public class LoanTapeCorpusTests
{
    public static TheoryData<string, string, string?> Expectations => new()
    {
        // Encodings, separators, layout
        { "valid.csv", "", null },
        { "valid.xlsx", "", null },
        { "with_bom.csv", "", null },
        { "crlf_without_bom.csv", "", null },
        { "quoted_newlines.csv", "", null },
        { "blank_lines.csv", "", null },
        { "formula_text.csv", "", null },
        { "reordered_columns.csv", "", null },
        { "header_case_and_spaces.csv", "", null },
        { "several_sheets.xlsx", "", null },
        { "empty.csv", "S06", "no header row" },
        { "header_only.csv", "S12", "no loan rows" },
        { "semicolon_separated.csv", "S07", "separated by semicolons (;)" },
        { "tab_separated.csv", "S07", "separated by tabs" },
        { "invalid_utf8.csv", "S05", "not UTF-8" },
        { "gbk.csv", "S05", "GBK" },
        { "latin1.csv", "S05", "not UTF-8" },
        { "utf16.csv", "S05", "UTF-16" },
        { "wrong_file_type.txt", "S01", ".csv or .xlsx" },
        { "unterminated_quote.csv", "S11", "Row 2 has 3 fields; the header row has 17 fields." },
        { "row_missing_field.csv", "S11", "Row 3 has 16 fields; the header row has 17 fields." },
        { "row_extra_field.csv", "S11", "Row 4 has 18 fields; the header row has 17 fields." },

        // Header
        { "missing_column.csv", "S08", "Column 'scenario' is missing" },
        { "extra_column.csv", "S09", "Column 'notes' in the header row is not a loan-tape column." },
        { "duplicate_column.csv", "S10", "Column 'status' appears more than once" },

        // Platform and month
        { "wrong_platform.csv", "S13", "platform_code must be JDBT" },
        { "wrong_month.csv", "S14", "reporting_month must be 2026-01" },

        // Validity
        { "duplicate_loan_ids.csv", "V02", "appears more than once" },
        { "misspelt_product_type.csv", "V04", "INSTALLMENT, CREDIT_LINE, CASH_LOAN" },
        { "misspelt_scenario.csv", "V05", "ECOMMERCE, DECORATION, TRAVEL, EDUCATION, OTHER" },
        { "misspelt_status.csv", "V14", "CURRENT, DELINQUENT, DEFAULTED, CHARGED_OFF, REPAID" },
        { "misspelt_funding_source.csv", "V18", "OWN_FUNDS, BANK_COLENDING, ABS, OTHER_INSTITUTION, OTHER" },
        { "borrower_personal_data.csv", "V20,V20", "borrower_ref must be a pseudonymous id, but it looks like a resident identity card number." },
        { "impossible_dates.csv", "V06,V06", "real date written YYYY-MM-DD" },
        { "origination_after_month_end.csv", "V07", "after the end of the reporting month (2026-01-31)" },
        { "thousands_separators.csv", "V19,V19", "without thousands separators" },
        { "huge_field.csv", "V03", "borrower_ref must be 1 to 64 characters." },
        { "long_loan_id.csv", "V01", "loan_id must be 1 to 64 characters." },
        { "status_dpd_mismatch.csv", "V15,V15,V15,V15", "status CURRENT does not match days_past_due 5" },
        { "negative_amounts.csv", "V08,V09,V12,V16,V17,V13", "principal must be an amount greater than 0" },
        { "term_0_and_61.csv", "V10,V10", "from 1 to 60" },
        { "rate_101.csv", "V11", "from 0 to 100" },
        { "not_numbers.csv", "V08,V10,V11", null },
        { "missing_values.csv", "V01,V03,V08", null },
        { "text_cells_with_errors.xlsx", "V04", null },

        // Quality
        { "charged_off_below_90_dpd.csv", "Q07,Q07", "The loan is CHARGED_OFF with days_past_due 89;" },

        // Workbooks that must not be opened
        { "not_a_zip.xlsx", "S02", "not a zip archive" },
        { "zip_not_workbook.xlsx", "S02", "not a readable .xlsx workbook" },
        { "encrypted.xlsx", "S03", "password-protected" },
        { "zip_bomb.xlsx", "S04", "unpacks to more data than allowed" },
        { "empty_sheet.xlsx", "S06", "no header row" },
    };

    [Theory]
    [MemberData(nameof(Expectations))]
    public async Task Corpus_file_raises_exactly_the_expected_edits(string file, string codes, string? message)
    {
        var result = await LoanTapeTestData.CheckCorpusAsync(file);

        Assert.Equal(codes, result.Codes);
        if (message is not null)
        {
            Assert.Contains(message, result.Findings[0].Message);
        }

        var blocking = result.Findings.Any(f => f.IsBlocking);
        Assert.Equal(blocking, result.Summary.HasBlockingErrors);
        Assert.Equal(EditRules.RuleSetVersion, result.Summary.RuleSetVersion);
        Assert.Equal(result.Findings.Count, result.Summary.FindingsByCode.Values.Sum());
    }

    [Fact]
    public void Every_corpus_file_has_an_expectation_and_there_are_at_least_30()
    {
        var listed = Expectations.Select(e => (string)e[0]).ToHashSet();
        var files = Directory.GetFiles(LoanTapeTestData.CorpusPath("")).Select(f => Path.GetFileName(f)).Where(f => !f.StartsWith('.')).ToHashSet();

        Assert.True(files.Count >= 30, $"only {files.Count} corpus files");
        Assert.Equal(files.Order(), listed.Order());
    }

    [Theory]
    [InlineData("valid.csv")]
    [InlineData("valid.xlsx")]
    [InlineData("with_bom.csv")]
    [InlineData("reordered_columns.csv")]
    [InlineData("several_sheets.xlsx")]
    public async Task Valid_files_deliver_every_loan_typed(string file)
    {
        var result = await LoanTapeTestData.CheckCorpusAsync(file);

        Assert.Equal(8, result.Summary.RowsRead);
        Assert.Equal(8, result.Summary.ValidRows);
        Assert.Equal(Enumerable.Range(1, 8), result.Rows.Select(r => r.RowNumber));
        var second = result.Rows[1];
        Assert.Equal(new LoanTapeRow(2, "JDBT", "2026-01", "L0002", "B0002", ProductType.CreditLine, LoanScenario.Travel,
            new DateOnly(2025, 9, 1), 5000m, 20000m, 6, 23.9m, 4200.5m, 15, LoanStatus.Delinquent, 0m, 0m,
            FundingSource.BankColending), second);
        Assert.False(result.Summary.HasBlockingErrors);
        Assert.False(result.Summary.HasWarnings);

        // OB = 7000 + 4200.50 + 2000 + 3000 + 6000 + 1000 (repaid and charged-off loans excluded); defaulted: L0003.
        Assert.Equal(new MonthFigures(8, 23200.5m, 2000m), result.Summary.Figures);
    }

    [Fact]
    public async Task Quoted_commas_quotes_and_new_lines_are_read_as_text()
    {
        var result = await LoanTapeTestData.CheckCorpusAsync("quoted_newlines.csv");

        Assert.Equal("B00\n01", result.Rows[0].BorrowerRef);
        Assert.Equal("L,0002", result.Rows[1].LoanId);
        Assert.Equal("L\"0003\"", result.Rows[2].LoanId);
    }

    [Fact]
    public async Task Formula_looking_text_is_kept_as_plain_text()
    {
        var result = await LoanTapeTestData.CheckCorpusAsync("formula_text.csv");

        Assert.Equal("=cmd|' /C calc'!A0", result.Rows[0].LoanId);
        Assert.Equal("+SUM(A1:A9)", result.Rows[0].BorrowerRef);
        Assert.Equal("@HYPERLINK(\"http://example.invalid\",\"x\")", result.Rows[1].BorrowerRef);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_but_keep_their_row_numbers()
    {
        var result = await LoanTapeTestData.CheckCorpusAsync("blank_lines.csv");

        Assert.Equal(8, result.Summary.RowsRead);
        Assert.Equal([1, 2, 5, 6, 7, 8, 9, 10], result.Rows.Select(r => r.RowNumber));
    }

    [Fact]
    public async Task A_100_kB_field_gives_a_short_finding_value()
    {
        var finding = Assert.Single((await LoanTapeTestData.CheckCorpusAsync("huge_field.csv")).Findings);

        Assert.Equal(1, finding.Row);
        Assert.Equal("L0001", finding.LoanId);
        Assert.Equal("borrower_ref", finding.Column);
        Assert.Equal(Finding.MaxValueLength, finding.Value!.Length);
        Assert.EndsWith("…", finding.Value);
    }

    [Fact]
    public async Task Row_findings_carry_row_loan_column_and_value()
    {
        var result = await LoanTapeTestData.CheckCorpusAsync("thousands_separators.csv");

        Assert.Equal(new Finding("V19", 1, "L0001", "principal", "12,000.00",
            "principal must be written without thousands separators and with '.' as the decimal point (1000.50, not 1,000.50)."),
            result.Findings[0]);
        Assert.Equal(("credit_limit", "20,000.00", 2), (result.Findings[1].Column, result.Findings[1].Value, result.Findings[1].Row));
        Assert.Equal(6, result.Summary.ValidRows);
        Assert.Null(result.Summary.Figures);
    }

    [Fact]
    public async Task Platform_findings_name_the_row_and_block_the_rules()
    {
        var result = await LoanTapeTestData.CheckCorpusAsync("wrong_platform.csv");

        var finding = Assert.Single(result.Findings);
        Assert.Equal((2, "L0002", "platform_code", "ABCD"), (finding.Row, finding.LoanId, finding.Column, finding.Value));
        Assert.Empty(result.Rows);
    }
}
