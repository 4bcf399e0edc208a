using ClosedXML.Excel;
using FinancePortal.Application.Features.Reports;

namespace FinancePortal.Infrastructure.Exports;

/// <summary>
/// Writes the monthly supervision report with ClosedXML: formatted sheets of modest size (every cell is kept in
/// memory, so <see cref="ReportDocument.MaxCells"/> is enforced). Money <c>¥#,##0.00</c>, rates <c>0.00%</c>
/// (values are fractions), frozen header rows, an autofilter on every table, breaches filled, explicit column widths
/// (never AdjustToContents, which needs libgdiplus). Every text goes through <see cref="ExcelText"/>.
/// </summary>
public sealed class ClosedXmlReportWriter : IReportWorkbookWriter
{
    public const string MoneyFormat = "¥#,##0.00";
    public const string RateFormat = "0.00%";
    public const string IntegerFormat = "#,##0";
    public const string NumberFormat = "0.00";
    public const string DateTimeFormat = "yyyy-mm-dd hh:mm:ss";

    /// <summary>The fill of a cell above its threshold.</summary>
    public static readonly XLColor BreachFill = XLColor.FromHtml("#F8CBAD");

    private static readonly XLColor HeaderFill = XLColor.FromHtml("#DDEBF7");

    public void Write(ReportDocument document, Stream target)
    {
        var cells = document.CellCount;
        if (cells > ReportDocument.MaxCells)
        {
            throw new ReportTooLargeException(cells);
        }

        using var workbook = new XLWorkbook();
        WriteCover(workbook.Worksheets.Add("Cover"), document.Cover);
        foreach (var table in document.Tables)
        {
            WriteTable(workbook.Worksheets.Add(table.SheetName), table);
        }

        workbook.SaveAs(target);
    }

    private static void WriteCover(IXLWorksheet sheet, ReportCover cover)
    {
        ExcelText.Set(sheet.Cell(1, 1), cover.Title);
        sheet.Cell(1, 1).Style.Font.Bold = true;
        sheet.Cell(1, 1).Style.Font.FontSize = 14;
        var row = 3;
        void Line(string label, Action<IXLCell> value)
        {
            ExcelText.Set(sheet.Cell(row, 1), label);
            sheet.Cell(row, 1).Style.Font.Bold = true;
            value(sheet.Cell(row, 2));
            row++;
        }

        Line("Period", c => ExcelText.Set(c, cover.Period));
        Line("Author", c => ExcelText.Set(c, cover.Author));
        Line("Generated (UTC)", c => { c.SetValue(cover.GeneratedUtc); c.Style.NumberFormat.Format = DateTimeFormat; });
        Line("Platforms", c => ExcelText.Set(c, cover.Platforms));
        Line("Sections", c => ExcelText.Set(c, cover.Sections));
        Line("Alert thresholds version", c => c.SetValue(cover.ThresholdsVersion));
        Line("Default rate limit", c => { c.SetValue(cover.DefaultRateLimitPct / 100m); c.Style.NumberFormat.Format = RateFormat; });
        Line("PAR30 limit", c => { c.SetValue(cover.Par30LimitPct / 100m); c.Style.NumberFormat.Format = RateFormat; });
        Line("Month status", c => ExcelText.Set(c, cover.MonthStatus));
        Line("As of (UTC)", c => { c.SetValue(cover.AsOfUtc ?? cover.GeneratedUtc); c.Style.NumberFormat.Format = DateTimeFormat; });
        Line("Language", c => ExcelText.Set(c, cover.Language));
        if (cover.Decisions is { } decisions)
        {
            Line("Access decisions in the period", c => c.SetValue(decisions.Decisions));
            Line("Overrides of the scorecard", c => c.SetValue(decisions.Overrides));
            Line("Override rate", c =>
            {
                if (decisions.OverrideRate is { } rate)
                {
                    c.SetValue(rate);
                    c.Style.NumberFormat.Format = RateFormat;
                }
                else
                {
                    ExcelText.Set(c, "No decisions");
                }
            });
        }

        row++;
        ExcelText.Set(sheet.Cell(row, 1), "Data versions used");
        sheet.Cell(row, 1).Style.Font.Bold = true;
        row++;
        var header = row;
        string[] headers = ["Platform", "Month", "Submission id", "Version"];
        for (var i = 0; i < headers.Length; i++)
        {
            ExcelText.Set(sheet.Cell(row, i + 1), headers[i]);
            sheet.Cell(row, i + 1).Style.Font.Bold = true;
            sheet.Cell(row, i + 1).Style.Fill.BackgroundColor = HeaderFill;
        }

        foreach (var v in cover.DataVersions)
        {
            row++;
            ExcelText.Set(sheet.Cell(row, 1), v.PlatformCode);
            ExcelText.Set(sheet.Cell(row, 2), v.Period);
            sheet.Cell(row, 3).SetValue(v.SubmissionId);
            sheet.Cell(row, 4).SetValue(v.Version);
        }

        sheet.Range(header, 1, row, headers.Length).SetAutoFilter();
        sheet.Column(1).Width = 26;
        sheet.Column(2).Width = 30;
        sheet.Column(3).Width = 14;
        sheet.Column(4).Width = 10;
    }

    private static void WriteTable(IXLWorksheet sheet, ReportTable table)
    {
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var column = table.Columns[c];
            var cell = sheet.Cell(1, c + 1);
            ExcelText.Set(cell, column.Header);
            cell.Style.Font.Bold = true;
            cell.Style.Fill.BackgroundColor = HeaderFill;
            cell.Style.Alignment.WrapText = true;
            sheet.Column(c + 1).Width = column.Width;
        }

        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var cell = sheet.Cell(r + 2, c + 1);
                Set(cell, table.Columns[c].Kind, c < row.Values.Count ? row.Values[c] : null);
            }

            foreach (var breach in row.Breaches)
            {
                sheet.Cell(r + 2, breach + 1).Style.Fill.BackgroundColor = BreachFill;
            }
        }

        sheet.SheetView.FreezeRows(1);
        sheet.Range(1, 1, Math.Max(1, table.Rows.Count) + 1, Math.Max(1, table.Columns.Count)).SetAutoFilter();
    }

    private static void Set(IXLCell cell, ReportColumnKind kind, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                ExcelText.Set(cell, text);
                return;
            case DateTime time:
                cell.SetValue(time);
                cell.Style.NumberFormat.Format = DateTimeFormat;
                return;
            case decimal d:
                cell.SetValue(d);
                break;
            case long l:
                cell.SetValue(l);
                break;
            case int i:
                cell.SetValue(i);
                break;
            default:
                ExcelText.Set(cell, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                return;
        }

        cell.Style.NumberFormat.Format = kind switch
        {
            ReportColumnKind.Money => MoneyFormat,
            ReportColumnKind.Rate => RateFormat,
            ReportColumnKind.Integer => IntegerFormat,
            _ => NumberFormat,
        };
    }
}
