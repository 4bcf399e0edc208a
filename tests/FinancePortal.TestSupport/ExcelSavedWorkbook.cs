using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace FinancePortal.TestSupport;

/// <summary>
/// A workbook shaped as Excel saves one: every text in the shared-strings table (cells <c>t="s"</c> holding an index),
/// numbers as numbers, dates as serial numbers in cells whose style applies a date format (numFmtId 14), cell
/// references on every cell, a styles part, a dimension and sheet views. Written as a stream (SAX), so a million rows
/// cost no memory beyond the shared strings' order. The caller gives each row's cells as <see cref="Cell"/>s.
/// </summary>
public static class ExcelSavedWorkbook
{
    private const string Main = MinimalWorkbook.MainNamespace;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly DateOnly Epoch = new(1899, 12, 30);

    /// <summary>One cell: text (a shared string), a number, or a date (a serial number with the date style).</summary>
    public readonly record struct Cell(string? Text, decimal? Number, DateOnly? Date)
    {
        public static Cell Of(string text) => new(text, null, null);

        public static Cell Of(decimal number) => new(null, number, null);

        public static Cell Of(DateOnly date) => new(null, null, date);
    }

    /// <summary>
    /// Writes <paramref name="path"/> with one sheet of <paramref name="rows"/> (the first is the header). Text is
    /// interned in order of first use, like Excel's table.
    /// </summary>
    public static void Write(string path, IEnumerable<IReadOnlyList<Cell>> rows)
    {
        var strings = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        var references = 0L;
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        WriteParts(zip);

        int lastRow = 0, width = 0;
        using (var sheet = zip.CreateEntry(MinimalWorkbook.SheetPart, CompressionLevel.Fastest).Open())
        using (var xml = XmlWriter.Create(sheet, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument(standalone: true);
            xml.WriteStartElement("worksheet", Main);
            xml.WriteAttributeString("xmlns", "r", null, "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
            xml.WriteStartElement("sheetViews", Main);
            xml.WriteStartElement("sheetView", Main);
            xml.WriteAttributeString("tabSelected", "1");
            xml.WriteAttributeString("workbookViewId", "0");
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteStartElement("sheetFormatPr", Main);
            xml.WriteAttributeString("defaultRowHeight", "15");
            xml.WriteEndElement();
            xml.WriteStartElement("sheetData", Main);
            var reference = new char[8];
            foreach (var row in rows)
            {
                lastRow++;
                width = Math.Max(width, row.Count);
                xml.WriteStartElement("row", Main);
                xml.WriteAttributeString("r", lastRow.ToString(Inv));
                xml.WriteAttributeString("spans", $"1:{row.Count}");
                for (var c = 0; c < row.Count; c++)
                {
                    var cell = row[c];
                    xml.WriteStartElement("c", Main);
                    xml.WriteAttributeString("r", Reference(reference, c, lastRow));
                    if (cell.Text is { } text)
                    {
                        if (!strings.TryGetValue(text, out var index))
                        {
                            index = order.Count;
                            strings.Add(text, index);
                            order.Add(text);
                        }

                        references++;
                        xml.WriteAttributeString("t", "s");
                        xml.WriteElementString("v", Main, index.ToString(Inv));
                    }
                    else if (cell.Date is { } date)
                    {
                        xml.WriteAttributeString("s", "1");
                        xml.WriteElementString("v", Main, (date.DayNumber - Epoch.DayNumber).ToString(Inv));
                    }
                    else
                    {
                        xml.WriteElementString("v", Main, (cell.Number ?? 0).ToString(Inv));
                    }

                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteStartElement("pageMargins", Main);
            foreach (var (name, value) in new[] { ("left", "0.7"), ("right", "0.7"), ("top", "0.75"), ("bottom", "0.75"), ("header", "0.3"), ("footer", "0.3") })
            {
                xml.WriteAttributeString(name, value);
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        using (var part = zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.Fastest).Open())
        using (var xml = XmlWriter.Create(part, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument(standalone: true);
            xml.WriteStartElement("sst", Main);
            xml.WriteAttributeString("count", references.ToString(Inv));
            xml.WriteAttributeString("uniqueCount", order.Count.ToString(Inv));
            foreach (var text in order)
            {
                xml.WriteStartElement("si", Main);
                xml.WriteElementString("t", Main, text);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }
    }

    private static string Reference(char[] buffer, int column, int row)
    {
        var length = 0;
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            buffer[length++] = (char)('A' + (n - 1) % 26);
        }

        Array.Reverse(buffer, 0, length);
        return string.Concat(buffer.AsSpan(0, length), row.ToString(Inv));
    }

    private static void WriteParts(ZipArchive zip)
    {
        const string types = "application/vnd.openxmlformats-officedocument.spreadsheetml";
        Part(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
            $"<Override PartName=\"/xl/workbook.xml\" ContentType=\"{types}.sheet.main+xml\"/>" +
            $"<Override PartName=\"/{MinimalWorkbook.SheetPart}\" ContentType=\"{types}.worksheet+xml\"/>" +
            $"<Override PartName=\"/xl/styles.xml\" ContentType=\"{types}.styles+xml\"/>" +
            $"<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"{types}.sharedStrings+xml\"/></Types>");
        Part(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        Part(zip, "xl/workbook.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><workbook xmlns=\"{Main}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" +
            "<bookViews><workbookView xWindow=\"0\" yWindow=\"0\" windowWidth=\"28800\" windowHeight=\"12300\"/></bookViews>" +
            "<sheets><sheet name=\"Loans\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
        const string relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        Part(zip, "xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            $"<Relationship Id=\"rId1\" Type=\"{relationships}/worksheet\" Target=\"worksheets/sheet1.xml\"/>" +
            $"<Relationship Id=\"rId2\" Type=\"{relationships}/styles\" Target=\"styles.xml\"/>" +
            $"<Relationship Id=\"rId3\" Type=\"{relationships}/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
        Part(zip, "xl/styles.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><styleSheet xmlns=\"{Main}\">" +
            "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>" +
            "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>" +
            "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>" +
            "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>" +
            "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>" +
            "<xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>" +
            "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>");
    }

    private static void Part(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
