using System.Text;
using FinancePortal.Application.Features.Submissions;
using FinancePortal.Infrastructure.Import;
using FinancePortal.TestSupport;

namespace FinancePortal.UnitTests.Submissions;

/// <summary>
/// The XLSX reader scans plain sheets byte by byte and leaves anything else to an XmlReader pass from the row where it
/// stopped. Whatever the sheet, both ways must give the same rows (numbers, fields, full lengths) or the same
/// syntactical error: each case is read with the scanner and with the XmlReader alone and compared, and the plain
/// cases must be read by the scanner to the end (so the fast path is what is tested, not the fallback).
/// </summary>
public class SheetScannerTests
{
    private const string Main = MinimalWorkbook.MainNamespace;

    private static string Sheet(string rows, string root = $"<worksheet xmlns=\"{Main}\">", string end = "</worksheet>", string declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>") =>
        $"{declaration}{root}<sheetData>{rows}</sheetData>{end}";

    private const string Header = "<row r=\"1\"><c t=\"inlineStr\"><is><t>loan_id</t></is></c><c t=\"inlineStr\"><is><t>amount</t></is></c></row>";

    /// <summary>Sheets in the plain shape: the scanner reads them to the end.</summary>
    public static TheoryData<string, string> Plain => new()
    {
        { "default namespace", Sheet(Header + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>L1</t></is></c><c r=\"B2\"><v>1000.5</v></c></row>") },
        { "main namespace as a prefix", $"<x:worksheet xmlns:x=\"{Main}\"><x:sheetData><x:row r=\"1\"><x:c t=\"inlineStr\"><x:is><x:t>a</x:t></x:is></x:c></x:row><x:row><x:c><x:v>7</x:v></x:c><c><v>ignored, not main</v></c></x:row></x:sheetData></x:worksheet>" },
        { "entity and character references", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>A&amp;B &lt;x&gt; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#x1F600;</t></is></c></row>") },
        { "comments and processing instructions", Sheet(Header + "<!-- note --><row><?pi data?><c t=\"inlineStr\"><is><t>1<!--x-->2</t></is></c></row>") },
        { "byte order mark", "\uFEFF" + Sheet(Header) },
        { "no declaration", Sheet(Header, declaration: "") },
        { "rich text runs and first direct text", Sheet(Header + "<row><c t=\"inlineStr\"><is><r><rPr><b/></rPr><t>Ri</t><t>x</t></r><r><t>ch</t></r></is></c><c t=\"inlineStr\"><is><t>first</t><t>second</t></is></c></row>") },
        { "empty elements and missing cells", Sheet(Header + "<row r=\"4\"/><row r=\"6\"><c r=\"B6\"/><c r=\"D6\" t=\"inlineStr\"><is/></c><c><v/></c></row>") },
        { "white space, tabs and newlines", Sheet(Header + "<row>\n\t<c t=\"inlineStr\" >\n<is><t xml:space=\"preserve\">  padded\t </t></is></c>\n</row>\n") },
        { "non-ASCII text", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>借款人-Ω-é</t></is></c></row>") },
        { "a 100 kB field", Sheet(Header + $"<row><c t=\"inlineStr\"><is><t>{new string('x', 100_000)}</t></is></c><c><v>{new string('9', 70_000)}</v></c></row>") },
        { "cell kinds", Sheet(Header + "<row><c t=\"b\"><v>1</v></c><c t=\"str\"><v>=A1</v></c><c t=\"e\"><v>#N/A</v></c><c t=\"n\"><v>0.30000000000000004</v></c><c><v>1E+3</v></c><c t=\"d\"><v>2026-02-03T00:00:00</v></c></row>") },
        { "only the first value counts, other elements are passed over", Sheet(Header + "<row><c><f>SUM(A1)</f><v>3</v><v>4</v><extLst><ext><v>9</v></ext></extLst></c></row>") },
        { "a row nested in another element", Sheet(Header + "<row><c><v>1</v></c><x><row><c><v>2</v></c></row></x></row>") },
        { "another prefix declared and used", Sheet(Header + "<row xmlns:o=\"urn:other\" o:flag=\"1\"><o:c><o:v>5</o:v></o:c><c><v>6</v></c></row>") },
        { "a greater-than sign in text", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>a>b</t></is></c></row>") },
        { "cell attributes in any order, empty values, empty cells", Sheet(Header + "<row><c s=\"0\" t=\"n\" r=\"A2\"><v>5</v></c><c r=\"C2\" t=\"\"><v>6</v></c><c r=\"D2\" s=\"1\"/><c t=\"inlineStr\"><is><t>x</t></is></c></row>" + new string(' ', 80)) },
        { "content after sheet data", Sheet(Header, end: "<pageMargins left=\"0.7\"/><extLst><ext xmlns:x14=\"urn:x14\" uri=\"{1}\"><x14:thing/></ext></extLst></worksheet><!-- end -->\n") },
    };

    /// <summary>Sheets the scanner leaves to the XmlReader (some are damaged: both ways must then fail the same).</summary>
    public static TheoryData<string, string> NotPlain => new()
    {
        { "CDATA", Sheet(Header + "<row><c t=\"inlineStr\"><is><t><![CDATA[a<b]]></t></is></c></row>") },
        { "carriage return in text", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>a\r\nb</t></is></c></row>") },
        { "reference in an attribute", Sheet(Header + "<row r=\"&#50;\"><c><v>1</v></c></row>") },
        { "tab in an attribute", Sheet(Header + "<row><c r=\"A\t2\"><v>1</v></c></row>") },
        { "main namespace declared again", Sheet(Header + $"<row xmlns=\"{Main}\"><c><v>1</v></c></row>") },
        { "default namespace undone", Sheet(Header + "<row xmlns=\"\"><c><v>1</v></c></row>") },
        { "an element inside a value", Sheet(Header + "<row><c><v>1<b/>2</v></c></row>") },
        { "undeclared prefix", Sheet(Header + "<row><q:c><v>1</v></q:c></row>") },
        { "prefix used outside its declaration", Sheet(Header + "<row><a xmlns:q=\"urn:q\"/><q:c/></row>") },
        { "mismatched end tag", Sheet(Header + "<row><c><v>1</c></v></row>") },
        { "truncated document", Sheet(Header + "<row><c><v>1</v></c></row>")[..^40] },
        { "text outside the root", Sheet(Header) + "trailing" },
        { "a second root element", Sheet(Header) + "<worksheet/>" },
        { "unknown entity", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>&nbsp;</t></is></c></row>") },
        { "forbidden character reference", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>&#1;</t></is></c></row>") },
        { "control character", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>a\u0001b</t></is></c></row>") },
        { "noncharacter U+FFFE", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>a\uFFFEb</t></is></c></row>") },
        { "duplicate attribute", Sheet(Header + "<row r=\"2\" r=\"3\"><c><v>1</v></c></row>") },
        { "duplicate cell attribute", Sheet(Header + "<row><c t=\"n\" t=\"s\"><v>1</v></c></row>" + new string(' ', 80)) },
        { "cell attributes not separated", Sheet(Header + "<row><c r=\"A2\"t=\"n\"><v>1</v></c></row>" + new string(' ', 80)) },
        { "document type declaration", "<?xml version=\"1.0\"?><!DOCTYPE worksheet []>" + Sheet(Header, declaration: "") },
        { "a declaration that is not at the start", " " + Sheet(Header) },
        { "a double hyphen in a comment", Sheet(Header + "<!-- a -- b --><row><c><v>1</v></c></row>") },
        { "root not in the main namespace", Sheet(Header, root: "<worksheet xmlns=\"urn:strict\">") },
        { "greater-than sign in an attribute value", Sheet(Header + "<row><c r=\"A2\" o=\"a>b\"><v>1</v></c></row>") },
        { "CDATA end in text", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>a]]>b</t></is></c></row>") },
    };

    [Theory]
    [MemberData(nameof(Plain))]
    public async Task Plain_sheets_are_scanned_to_the_end_with_the_XmlReader_s_rows(string name, string xml)
    {
        var (scanned, scannedToTheEnd) = await ReadAsync(Package(xml), scan: true);
        var (read, _) = await ReadAsync(Package(xml), scan: false);
        Assert.True(scannedToTheEnd, name);
        Assert.Equal(read, scanned);
        Assert.NotEmpty(scanned);
    }

    [Theory]
    [MemberData(nameof(NotPlain))]
    public async Task Other_sheets_are_read_by_the_XmlReader_from_where_the_scanner_stopped_with_the_same_outcome(string name, string xml)
    {
        var (scanned, scannedToTheEnd) = await ReadAsync(Package(xml), scan: true);
        var (read, _) = await ReadAsync(Package(xml), scan: false);
        Assert.False(scannedToTheEnd, name);
        Assert.Equal(read, scanned);
    }

    [Fact]
    public async Task A_late_fallback_keeps_the_rows_already_read_and_their_numbering()
    {
        // Many plain rows without numbers, then one the scanner leaves to the XmlReader, then more: row numbers
        // continue from the last row either way, and the header width carries over.
        var rows = new StringBuilder(Header);
        for (var i = 0; i < 3_000; i++)
        {
            rows.Append(i == 2_500 ? "<row><c t=\"inlineStr\"><is><t><![CDATA[late]]></t></is></c></row>" : $"<row><c t=\"inlineStr\"><is><t>L{i}</t></is></c></row>");
        }

        var xml = Sheet(rows.ToString());
        var (scanned, scannedToTheEnd) = await ReadAsync(Package(xml), scan: true);
        var (read, _) = await ReadAsync(Package(xml), scan: false);
        Assert.False(scannedToTheEnd);
        Assert.Equal(3_001, scanned.Count);
        Assert.Equal(read, scanned);
        Assert.Contains("2502:late(4)|(0)", scanned);
    }

    [Theory]
    [InlineData("valid.xlsx")]
    [InlineData("several_sheets.xlsx")]
    [InlineData("text_cells_with_errors.xlsx")]
    [InlineData("empty_sheet.xlsx")]
    public async Task Corpus_workbooks_read_the_same_both_ways(string file)
    {
        var bytes = await File.ReadAllBytesAsync(LoanTapeTestData.CorpusPath(file));
        Assert.Equal((await ReadAsync(bytes, scan: false)).Rows, (await ReadAsync(bytes, scan: true)).Rows);
    }

    [Fact]
    public async Task Workbooks_written_by_the_OpenXml_SDK_are_scanned_to_the_end_with_the_same_rows()
    {
        var loans = Enumerable.Range(0, 50).Select(i => LoanTapeTestData.Loan($"L{i}")).ToList();
        var bytes = LoanTapeTestData.Xlsx(loans);
        var (scanned, scannedToTheEnd) = await ReadAsync(bytes, scan: true);
        Assert.True(scannedToTheEnd);
        Assert.Equal((await ReadAsync(bytes, scan: false)).Rows, scanned);
        Assert.Equal(51, scanned.Count);
    }

    /// <summary>Every row as "number:field(full length)|field(full length)...", or the edit code the reading stopped with.</summary>
    private static async Task<(List<string> Rows, bool ScannedToTheEnd)> ReadAsync(byte[] xlsx, bool scan)
    {
        var rows = new List<string>();
        using var stream = new MemoryStream(xlsx);
        XlsxLoanTapeReader reader;
        try
        {
            reader = XlsxLoanTapeReader.Open(stream, new LoanTapeLimits(), scan);
        }
        catch (LoanTapeUnreadableException e)
        {
            return ([$"error {e.Rule.Code}"], false);
        }

        using (reader)
        {
            var row = new RawRow();
            try
            {
                while (await reader.ReadAsync(row, CancellationToken.None))
                {
                    var fields = Enumerable.Range(0, row.Count).Select(i => $"{row[i].ToString()}({row.FullLength(i)})");
                    rows.Add($"{row.Index}:{string.Join('|', fields)}");
                }
            }
            catch (LoanTapeUnreadableException e)
            {
                rows.Add($"error {e.Rule.Code}");
            }

            return (rows, reader.Scanning);
        }
    }

    private static byte[] Package(string sheetXml) => MinimalWorkbook.WithSheet(sheetXml);
}
