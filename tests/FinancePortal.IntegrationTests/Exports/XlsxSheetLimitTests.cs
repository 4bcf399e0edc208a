using ClosedXML.Excel;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Infrastructure.Exports;

namespace FinancePortal.IntegrationTests.Exports;

/// <summary>
/// A worksheet holds at most Excel's row count: an export with more rows (a national loan-level extract, the error report
/// of a large tape) goes on to further sheets, each complete with its header, frozen row and autofilter.
/// </summary>
public class XlsxSheetLimitTests
{
    private static readonly ExportColumnInfo[] Columns =
    [
        new("Loan id", ExportCellKind.Text, 14),
        new("Outstanding", ExportCellKind.Money, 16),
    ];

    private static async Task<XLWorkbook> WriteAsync(int rows, int rowsPerSheet, string title = "Loan-level extract")
    {
        var buffer = new MemoryStream();
        await using (var writer = await XlsxExportWriter.CreateAsync(buffer, title, Columns, CancellationToken.None, rowsPerSheet))
        {
            for (var i = 1; i <= rows; i++)
            {
                writer.Text($"L{i:D6}");
                writer.Decimal(i + 0.5m);
                await writer.EndRowAsync(CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        buffer.Position = 0;
        return new XLWorkbook(buffer);
    }

    [Fact]
    public void The_sheet_limit_is_Excels()
    {
        Assert.Equal(XLHelper.MaxRowNumber, XlsxExportWriter.MaxRowsPerSheet);
    }

    [Fact]
    public async Task Rows_beyond_a_full_sheet_continue_on_numbered_sheets_with_the_same_header_and_every_row_kept_in_order()
    {
        // 4 rows a sheet: the header and 3 data rows; 8 data rows fill two sheets and start a third.
        using var workbook = await WriteAsync(rows: 8, rowsPerSheet: 4);

        Assert.Equal(["Loan-level extract", "Loan-level extract (2)", "Loan-level extract (3)"], workbook.Worksheets.Select(w => w.Name).ToArray());
        var ids = new List<string>();
        foreach (var sheet in workbook.Worksheets)
        {
            Assert.Equal(["Loan id", "Outstanding"], sheet.Row(1).Cells(1, 2).Select(c => c.GetString()).ToArray());
            Assert.Equal(1, sheet.SheetView.SplitRow);
            Assert.True(sheet.AutoFilter.IsEnabled);
            Assert.True(sheet.LastRowUsed()!.RowNumber() <= 4);
            ids.AddRange(sheet.RowsUsed().Skip(1).Select(r => r.Cell(1).GetString()));
            Assert.All(sheet.RowsUsed().Skip(1), r => Assert.Equal(XlsxExportWriter.MoneyFormat, r.Cell(2).Style.NumberFormat.Format));
        }

        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"L{i:D6}"), ids);
        Assert.Equal(8.5, workbook.Worksheet(3).Cell(3, 2).GetDouble());
    }

    [Fact]
    public async Task A_full_sheet_with_nothing_after_it_adds_no_empty_sheet()
    {
        using var workbook = await WriteAsync(rows: 6, rowsPerSheet: 4);

        // 6 data rows, 3 a sheet: exactly two full sheets.
        Assert.Equal(2, workbook.Worksheets.Count);
        Assert.Equal(4, workbook.Worksheet(2).LastRowUsed()!.RowNumber());
    }

    [Fact]
    public async Task Numbered_sheet_names_stay_within_Excels_31_characters()
    {
        // One data row a sheet: five sheets.
        using var workbook = await WriteAsync(rows: 5, rowsPerSheet: 2, title: "Submission edit findings of a very long title");

        Assert.All(workbook.Worksheets, w => Assert.True(w.Name.Length <= 31, w.Name));
        Assert.Equal(31, workbook.Worksheet(1).Name.Length);
        Assert.EndsWith(" (5)", workbook.Worksheet(5).Name);
        Assert.Equal(5, workbook.Worksheets.Select(w => w.Name).Distinct().Count());
    }
}
