using System.IO.Compression;
using System.Text;
using FinancePortal.TestSupport;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>Sheet XML in every shape the XLSX reader meets: what writers produce, what XML allows beyond it, and damage.</summary>
internal static class SheetShapes
{
    private const string Main = MinimalWorkbook.MainNamespace;

    public const string Header = "<row r=\"1\"><c t=\"inlineStr\"><is><t>loan_id</t></is></c><c t=\"inlineStr\"><is><t>amount</t></is></c></row>";

    public static string Sheet(string rows, string root = $"<worksheet xmlns=\"{Main}\">", string end = "</worksheet>", string declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>") =>
        $"{declaration}{root}<sheetData>{rows}</sheetData>{end}";

    public static byte[] Package(string sheetXml) => MinimalWorkbook.WithSheet(sheetXml);

    /// <summary>A package whose sheet part is exactly <paramref name="sheet"/> (any encoding).</summary>
    public static byte[] Package(byte[] sheet)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            MinimalWorkbook.WriteParts(zip);
            using var part = zip.CreateEntry(MinimalWorkbook.SheetPart).Open();
            part.Write(sheet);
        }

        return stream.ToArray();
    }

    /// <summary>Letters that do not compress far (a long tag must not look like a zip bomb).</summary>
    private static string Incompressible(int length)
    {
        var random = new Random(7);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });
    }

    private static byte[] Encoded(string xml, Encoding encoding, bool bom) => [.. bom ? encoding.GetPreamble() : [], .. encoding.GetBytes(xml)];

    /// <summary>Shapes written by spreadsheet tools and the XML they may legally use.</summary>
    public static IEnumerable<(string Name, byte[] Package)> Valid()
    {
        (string, string)[] xml =
        [
            ("default namespace", Sheet(Header + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>L1</t></is></c><c r=\"B2\"><v>1000.5</v></c></row>")),
            ("main namespace as a prefix", $"<x:worksheet xmlns:x=\"{Main}\"><x:sheetData><x:row r=\"1\"><x:c t=\"inlineStr\"><x:is><x:t>a</x:t></x:is></x:c></x:row><x:row><x:c><x:v>7</x:v></x:c><c><v>ignored, not main</v></c></x:row></x:sheetData></x:worksheet>"),
            ("entity and character references", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>A&amp;B &lt;x&gt; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#x1F600;</t></is></c></row>")),
            ("comments and processing instructions", Sheet(Header + "<!-- note --><row><?pi data?><c t=\"inlineStr\"><is><t>1<!--x-->2</t></is></c></row>")),
            ("byte order mark", "\uFEFF" + Sheet(Header)),
            ("no declaration", Sheet(Header, declaration: "")),
            ("rich text runs and first direct text", Sheet(Header + "<row><c t=\"inlineStr\"><is><r><rPr><b/></rPr><t>Ri</t><t>x</t></r><r><t>ch</t></r></is></c><c t=\"inlineStr\"><is><t>first</t><t>second</t></is></c></row>")),
            ("empty elements and missing cells", Sheet(Header + "<row r=\"4\"/><row r=\"6\"><c r=\"B6\"/><c r=\"D6\" t=\"inlineStr\"><is/></c><c><v/></c></row>")),
            ("white space, tabs and newlines", Sheet(Header + "<row>\n\t<c t=\"inlineStr\" >\n<is><t xml:space=\"preserve\">  padded\t </t></is></c>\n</row>\n")),
            ("non-ASCII text", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>借款人-Ω-é</t></is></c></row>")),
            ("a 100 kB field", Sheet(Header + $"<row><c t=\"inlineStr\"><is><t>{new string('x', 100_000)}</t></is></c><c><v>{new string('9', 70_000)}</v></c></row>")),
            ("cell kinds", Sheet(Header + "<row><c t=\"b\"><v>1</v></c><c t=\"str\"><v>=A1</v></c><c t=\"e\"><v>#N/A</v></c><c t=\"n\"><v>0.30000000000000004</v></c><c><v>1E+3</v></c><c t=\"d\"><v>2026-02-03T00:00:00</v></c></row>")),
            ("only the first value counts, other elements are passed over", Sheet(Header + "<row><c><f>SUM(A1)</f><v>3</v><v>4</v><extLst><ext><v>9</v></ext></extLst></c></row>")),
            ("a row nested in another element", Sheet(Header + "<row><c><v>1</v></c><x><row><c><v>2</v></c></row></x></row>")),
            ("another prefix declared and used", Sheet(Header + "<row xmlns:o=\"urn:other\" o:flag=\"1\"><o:c><o:v>5</o:v></o:c><c><v>6</v></c></row>")),
            ("a greater-than sign in text", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>a>b</t></is></c></row>")),
            ("cell attributes in any order, empty values, empty cells", Sheet(Header + "<row><c s=\"0\" t=\"n\" r=\"A2\"><v>5</v></c><c r=\"C2\" t=\"\"><v>6</v></c><c r=\"D2\" s=\"1\"/><c t=\"inlineStr\"><is><t>x</t></is></c></row>" + new string(' ', 80))),
            ("content after sheet data", Sheet(Header, end: "<pageMargins left=\"0.7\"/><extLst><ext xmlns:x14=\"urn:x14\" uri=\"{1}\"><x14:thing/></ext></extLst></worksheet><!-- end -->\n")),
            ("CDATA", Sheet(Header + "<row><c t=\"inlineStr\"><is><t><![CDATA[a<b]]>&amp;<![CDATA[]]></t></is></c><c><v><![CDATA[12]]></v></c></row>")),
            ("CDATA in rich text runs and skipped elements", Sheet(Header + "<row><c t=\"inlineStr\"><is><r><t><![CDATA[x>]]></t></r><r><t>y</t></r><rPh><t><![CDATA[skip]]></t></rPh></is></c><c t=\"inlineStr\"><is><rPh/><phoneticPr/><t>after empty</t></is><is><t>second</t></is></c></row>")),
            ("carriage returns in text and tags", Sheet(Header + "<row\r\n r=\"2\"><c t=\"inlineStr\"><is><t>a\r\nb\rc&#13;d</t></is></c></row>\r\n") + "\r\n"),
            ("references in attributes", Sheet(Header + "<row r=\"&#50;\"><c r=\"&#x42;2\" t=\"&#x69;nlineStr\"><is><t>x</t></is></c><c o=\"&lt;&amp;&#9;\"/></row>")),
            ("white space in attributes", Sheet(Header + "<row><c r=\"A\t2\"><v>1</v></c><c r=\"\r\nC2\"><v>2</v></c></row>")),
            ("main namespace declared again", Sheet(Header + $"<row xmlns=\"{Main}\"><c><v>1</v></c></row>")),
            ("main namespace under another prefix", Sheet(Header + $"<row xmlns:y=\"{Main}\"><y:c><y:v>5</y:v></y:c><c xmlns=\"urn:x\"><v>6</v></c></row>")),
            ("default namespace undone", Sheet(Header + "<row xmlns=\"\"><c><v>1</v></c></row><row><c><v>2</v></c></row>")),
            ("main namespace declared below the root", $"<w xmlns=\"urn:other\"><sheetData xmlns=\"{Main}\">{Header}<row><c><v>3</v></c></row></sheetData></w>"),
            ("root not in the main namespace", Sheet(Header, root: "<worksheet xmlns=\"urn:strict\">")),
            ("greater-than sign in an attribute value", Sheet(Header + "<row><c r=\"A2\" o=\"a>b\"><v>1</v></c><c o='\"' t='inlineStr'><is><t>q</t></is></c></row>")),
            ("single quotes and spaces around equals", Sheet(Header + "<row r = '5' ><c r\t=\n'B5' t='inlineStr' ><is ><t >z</t ></is ></c ></row >")),
            ("a processing instruction with a greater-than sign", Sheet(Header + "<row><?pi a>b?><c><v>1</v></c></row>")),
            ("a tag over a megabyte", Sheet(Header + $"<row><c o=\"{Incompressible(1_100_000)}\"><v>1</v></c></row>")),
            ("non-ASCII names and attribute values", Sheet(Header + "<row xmlns:ü=\"urn:u\" ü:ö=\"é\"><ü:c/><c o=\"é\"><v>1</v></c><ñ/></row>")),
            ("lower-case utf-8 declaration with single quotes", Sheet(Header, declaration: "<?xml version='1.0' encoding='utf-8'?>")),
        ];
        foreach (var (name, sheet) in xml)
        {
            yield return (name, Package(sheet));
        }

        var text = Sheet(Header + "<row><c t=\"inlineStr\"><is><t>é-借</t></is></c></row>", declaration: "<?xml version=\"1.0\" encoding=\"UTF-16\"?>");
        yield return ("UTF-16 little endian with a byte order mark", Package(Encoded(text, Encoding.Unicode, bom: true)));
        yield return ("UTF-16 big endian with a byte order mark", Package(Encoded(text, Encoding.BigEndianUnicode, bom: true)));
        yield return ("UTF-16 without a byte order mark", Package(Encoded(text, Encoding.Unicode, bom: false)));
        var latin = Sheet(Header + "<row><c t=\"inlineStr\"><is><t>café</t></is></c></row>", declaration: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
        yield return ("ISO-8859-1", Package(Encoding.Latin1.GetBytes(latin)));
    }

    /// <summary>Damaged sheets: the rows before the damage, then S02.</summary>
    public static IEnumerable<(string Name, byte[] Package)> Damaged()
    {
        (string, string)[] xml =
        [
            ("an element inside a value", Sheet(Header + "<row><c><v>1<b/>2</v></c></row>")),
            ("undeclared prefix", Sheet(Header + "<row><q:c><v>1</v></q:c></row>")),
            ("prefix used outside its declaration", Sheet(Header + "<row><a xmlns:q=\"urn:q\"/><q:c/></row>")),
            ("prefix undeclared", Sheet(Header + "<row xmlns:q=\"\"><c/></row>")),
            ("mismatched end tag", Sheet(Header + "<row><c><v>1</c></v></row>")),
            ("truncated document", Sheet(Header + "<row><c><v>1</v></c></row>")[..^40]),
            ("text outside the root", Sheet(Header) + "trailing"),
            ("a second root element", Sheet(Header) + "<worksheet/>"),
            ("unknown entity", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>&nbsp;</t></is></c></row>")),
            ("unknown entity in an attribute", Sheet(Header + "<row r=\"&x;\"><c/></row>")),
            ("less-than sign in an attribute", Sheet(Header + "<row r=\"<\"><c/></row>")),
            ("upper-case X in a character reference", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>&#X41;</t></is></c></row>")),
            ("forbidden character reference", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>&#1;</t></is></c></row>")),
            ("control character", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>a\u0001b</t></is></c></row>")),
            ("noncharacter U+FFFE", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>a\uFFFEb</t></is></c></row>")),
            ("duplicate attribute", Sheet(Header + "<row r=\"2\" r=\"3\"><c><v>1</v></c></row>")),
            ("duplicate cell attribute", Sheet(Header + "<row><c t=\"n\" t=\"s\"><v>1</v></c></row>" + new string(' ', 80))),
            ("cell attributes not separated", Sheet(Header + "<row><c r=\"A2\"t=\"n\"><v>1</v></c></row>" + new string(' ', 80))),
            ("document type declaration", "<?xml version=\"1.0\"?><!DOCTYPE worksheet []>" + Sheet(Header, declaration: "")),
            ("entity declaration", $"<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY e \"x\">]><worksheet xmlns=\"{Main}\"><sheetData>{Header}<row><c t=\"inlineStr\"><is><t>&e;</t></is></c></row></sheetData></worksheet>"),
            ("a declaration that is not at the start", " " + Sheet(Header)),
            ("a double hyphen in a comment", Sheet(Header + "<!-- a -- b --><row><c><v>1</v></c></row>")),
            ("CDATA end in text", Sheet(Header + "<row><c t=\"inlineStr\"><is><t>a]]>b</t></is></c></row>")),
            ("CDATA outside the root", Sheet(Header) + "<![CDATA[x]]>"),
            ("unterminated CDATA", Sheet(Header + "<row><c t=\"inlineStr\"><is><t><![CDATA[x</t></is></c></row>")),
            ("unknown encoding", Sheet(Header, declaration: "<?xml version=\"1.0\" encoding=\"no-such-encoding\"?>")),
            ("UTF-16 declared over UTF-8 bytes", Sheet(Header, declaration: "<?xml version=\"1.0\" encoding=\"UTF-16\"?>")),
        ];
        foreach (var (name, sheet) in xml)
        {
            yield return (name, Package(sheet));
        }

        yield return ("invalid UTF-8", Package([.. Encoding.UTF8.GetBytes(Sheet(Header + "<row><c t=\"inlineStr\"><is><t>")), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("</t></is></c></row>")]));
    }
}
