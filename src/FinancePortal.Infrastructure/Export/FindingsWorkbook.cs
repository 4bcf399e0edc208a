using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FinancePortal.Application.Features.Submissions;

namespace FinancePortal.Infrastructure.Export;

/// <summary>
/// The downloadable error report of a submission: one row per finding (edit code, row, loan id, column, value,
/// message), written with the SAX writer so memory stays flat. Every value is an inline string or a number, never a
/// formula, so text such as <c>=cmd|...</c> from a file stays text.
/// </summary>
public static class FindingsWorkbook
{
    public static readonly string[] Header = ["Edit code", "Blocking", "Row", "Loan id", "Column", "Value", "Message"];

    public static async Task WriteAsync(Stream target, string title, IAsyncEnumerable<FindingItem> findings, CancellationToken ct)
    {
        using var document = SpreadsheetDocument.Create(target, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        var sheet = workbook.AddNewPart<WorksheetPart>();
        using (var writer = OpenXmlWriter.Create(sheet))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            WriteRow(writer, [title]);
            WriteRow(writer, Header);
            await foreach (var f in findings.WithCancellation(ct))
            {
                writer.WriteStartElement(new Row());
                Text(writer, f.Code);
                Text(writer, f.Blocking ? "yes" : "no");
                if (f.Row is { } row)
                {
                    writer.WriteElement(new Cell { DataType = CellValues.Number, CellValue = new CellValue(row.ToString(System.Globalization.CultureInfo.InvariantCulture)) });
                }
                else
                {
                    Text(writer, "file");
                }

                Text(writer, f.LoanId);
                Text(writer, f.Column);
                Text(writer, f.Value);
                Text(writer, f.Message);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        workbook.Workbook = new Workbook(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "Findings" }));
        workbook.Workbook.Save();
    }

    private static void WriteRow(OpenXmlWriter writer, IEnumerable<string?> values)
    {
        writer.WriteStartElement(new Row());
        foreach (var value in values)
        {
            Text(writer, value);
        }

        writer.WriteEndElement();
    }

    private static void Text(OpenXmlWriter writer, string? value) => writer.WriteElement(ExcelText.Inline(value));
}
