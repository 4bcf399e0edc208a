using System.IO.Compression;
using System.Text;

namespace FinancePortal.TestSupport;

/// <summary>
/// The smallest package an XLSX reader accepts, written part by part so that the one sheet's XML is exactly what a test
/// or a benchmark gives (a hand-written string, or rows streamed by an XmlWriter).
/// </summary>
public static class MinimalWorkbook
{
    public const string MainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>Where the only sheet goes.</summary>
    public const string SheetPart = "xl/worksheets/sheet1.xml";

    /// <summary>Writes every part but the sheet: content types, relationships and a workbook naming one sheet, "Loans".</summary>
    public static void WriteParts(ZipArchive zip)
    {
        WritePart(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
            "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
            $"<Override PartName=\"/{SheetPart}\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>");
        WritePart(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        WritePart(zip, "xl/workbook.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{MainNamespace}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" +
            "<sheets><sheet name=\"Loans\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
        WritePart(zip, "xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
    }

    /// <summary>A whole package whose sheet is <paramref name="sheetXml"/>, byte for byte (UTF-8, no byte order mark added).</summary>
    public static byte[] WithSheet(string sheetXml)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            WriteParts(zip);
            WritePart(zip, SheetPart, sheetXml);
        }

        return stream.ToArray();
    }

    private static void WritePart(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
