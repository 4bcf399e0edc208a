using ClosedXML.Excel;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using FinancePortal.Application;

namespace FinancePortal.Infrastructure.Exports;

/// <summary>
/// The one way the product writes a text cell into a workbook (formula injection, DOMAIN.md §6): the value is stored
/// as a string cell, never parsed, so text starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR stays text.
/// Such text also gets the quote-prefix style where the writer has styles, so editing the cell in Excel keeps it text.
/// </summary>
public static class ExcelText
{
    /// <summary>ClosedXML: sets <paramref name="text"/> as a text cell (no formula, no number or date conversion).</summary>
    public static void Set(IXLCell cell, string? text)
    {
        var value = text ?? "";
        cell.SetValue(value);
        cell.DataType = XLDataType.Text;
        if (SafeCell.LooksLikeFormula(value))
        {
            cell.Style.IncludeQuotePrefix = true;
        }
    }

    /// <summary>OpenXML SAX writer: an inline-string cell, which Excel never evaluates.</summary>
    public static Cell Inline(string? text) =>
        new() { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text ?? "") { Space = SpaceProcessingModeValues.Preserve }) };
}
