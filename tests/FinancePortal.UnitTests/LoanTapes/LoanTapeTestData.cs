using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.LoanTapes;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>Builds loan tapes (CSV text, XLSX bytes, raw rows) from column values, and runs the checker on them.</summary>
public static class LoanTapeTestData
{
    public const string Platform = "JDBT";
    public const string Period = "2026-01";

    public static string CorpusPath(string file) => Path.Combine(AppContext.BaseDirectory, "LoanTapes", "Corpus", file);

    private static readonly HashSet<string> NumericColumns =
    [
        "principal", "credit_limit", "term_months", "annual_rate_pct", "outstanding_principal", "days_past_due",
        "charge_off_amount", "recovery_amount",
    ];

    /// <summary>A valid loan (CURRENT, no warnings) with the given columns changed.</summary>
    public static Dictionary<string, string> Loan(string loanId, params (string Column, string Value)[] changes)
    {
        var loan = new Dictionary<string, string>
        {
            ["platform_code"] = Platform, ["reporting_month"] = Period, ["loan_id"] = loanId, ["borrower_ref"] = "B-" + loanId,
            ["product_type"] = "INSTALLMENT", ["scenario"] = "ECOMMERCE", ["origination_date"] = "2025-07-01",
            ["principal"] = "10000.00", ["credit_limit"] = "0", ["term_months"] = "12", ["annual_rate_pct"] = "18",
            ["outstanding_principal"] = "6000.00", ["days_past_due"] = "0", ["status"] = "CURRENT",
            ["charge_off_amount"] = "0", ["recovery_amount"] = "0", ["funding_source"] = "OWN_FUNDS",
        };
        foreach (var (column, value) in changes)
        {
            loan[column] = value;
        }

        return loan;
    }

    public static RawRow Raw(long index, Dictionary<string, string> loan) =>
        RawRow.Of(index, [.. LoanTapeFormat.Columns.Select(c => loan[c])]);

    public static RawRow Header(params string[] columns) => RawRow.Of(0, columns.Length == 0 ? [.. LoanTapeFormat.Columns] : columns);

    /// <summary>A validator with the standard header already read.</summary>
    public static LoanTapeValidator Validator(MonthFigures? previous = null)
    {
        var validator = new LoanTapeValidator(Platform, Period, previous);
        var findings = new List<Finding>();
        Assert.True(validator.CheckHeader(Header(), findings));
        Assert.Empty(findings);
        return validator;
    }

    /// <summary>
    /// Runs the real checker (the production path, spill in memory) over the loans as a CSV tape, rows 1..n; for
    /// synchronous tests (run off the test's context, so blocking on it cannot deadlock).
    /// </summary>
    public static CheckResult CheckLoans(IEnumerable<Dictionary<string, string>> loans, MonthFigures? previous = null) =>
        Task.Run(() => CheckCsvAsync(Csv(loans), previous)).GetAwaiter().GetResult();

    /// <summary>Every finding the checker reports for the loans (see <see cref="CheckLoans"/>).</summary>
    public static List<Finding> ValidateAll(IEnumerable<Dictionary<string, string>> loans, MonthFigures? previous = null) =>
        CheckLoans(loans, previous).Findings;

    /// <summary>The real checker with the production formats and the given spill (in memory unless said otherwise).</summary>
    public static LoanTapeChecker Checker(LoanTapeLimits? limits = null, ISpillStore? spill = null) =>
        new(new LoanTapeFormats(limits), spill ?? new MemorySpillStore());

    public static string Csv(IEnumerable<Dictionary<string, string>> loans)
    {
        var text = new StringBuilder(string.Join(',', LoanTapeFormat.Columns)).Append('\n');
        foreach (var loan in loans)
        {
            text.Append(string.Join(',', LoanTapeFormat.Columns.Select(c => Quote(loan[c])))).Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    /// <summary>An XLSX made with the OpenXml SDK: text in shared strings, numeric columns as number cells.</summary>
    public static byte[] Xlsx(IEnumerable<Dictionary<string, string>> loans, params string[] extraSheets)
    {
        var table = new List<IReadOnlyList<string>> { LoanTapeFormat.Columns };
        table.AddRange(loans.Select(l => LoanTapeFormat.Columns.Select(c => l[c]).ToList()));
        return Workbook([table, .. extraSheets.Select(s => (IReadOnlyList<IReadOnlyList<string>>)[[s]])]);
    }

    public static byte[] Workbook(IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable();
            var index = new Dictionary<string, int>();
            uint sheetId = 1;
            foreach (var table in sheets)
            {
                var data = new SheetData();
                for (var r = 0; r < table.Count; r++)
                {
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < table[r].Count; c++)
                    {
                        row.Append(MakeCell(table, r, c, strings.SharedStringTable, index));
                    }

                    data.Append(row);
                }

                var sheet = workbook.AddNewPart<WorksheetPart>();
                sheet.Worksheet = new Worksheet(data);
                workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = sheetId, Name = $"Sheet{sheetId}" });
                sheetId++;
            }
        }

        return stream.ToArray();
    }

    private static Cell MakeCell(IReadOnlyList<IReadOnlyList<string>> table, int r, int c, SharedStringTable strings, Dictionary<string, int> index)
    {
        var reference = ColumnName(c) + (r + 1).ToString(CultureInfo.InvariantCulture);
        var value = table[r][c];
        var numeric = r > 0 && c < table[0].Count && NumericColumns.Contains(table[0][c])
                      && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);
        if (numeric)
        {
            return new Cell { CellReference = reference, CellValue = new CellValue(value) };
        }

        if (!index.TryGetValue(value, out var i))
        {
            i = index.Count;
            index[value] = i;
            strings.Append(new SharedStringItem(new Text(value) { Space = SpaceProcessingModeValues.Preserve }));
        }

        return new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(i.ToString(CultureInfo.InvariantCulture)) };
    }

    private static string ColumnName(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26)
        {
            name = (char)('A' + ((index - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>Runs the checker and collects everything it reports.</summary>
    public static async Task<CheckResult> CheckAsync(
        byte[] content, string fileName, MonthFigures? previous = null, string platform = Platform, string period = Period,
        LoanTapeLimits? limits = null)
    {
        var rows = new List<LoanTapeRow>();
        var findings = new List<Finding>();
        using var stream = new MemoryStream(content);
        var summary = await Checker(limits, new DiskSpillStore()).CheckAsync(
            stream, fileName, platform, period, previous,
            row => { rows.Add(row); return ValueTask.CompletedTask; },
            finding => { findings.Add(finding); return ValueTask.CompletedTask; });
        return new CheckResult(summary, rows, findings);
    }

    public static Task<CheckResult> CheckCsvAsync(string csv, MonthFigures? previous = null) =>
        CheckAsync(Encoding.UTF8.GetBytes(csv), "tape.csv", previous);

    public static Task<CheckResult> CheckCorpusAsync(string file) => CheckAsync(File.ReadAllBytes(CorpusPath(file)), file);
}

public sealed record CheckResult(LoanTapeSummary Summary, List<LoanTapeRow> Rows, List<Finding> Findings)
{
    public string Codes => string.Join(",", Findings.Select(f => f.Code));
}
