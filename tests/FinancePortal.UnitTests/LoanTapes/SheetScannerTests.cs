using System.Text;
using System.Text.RegularExpressions;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.LoanTapes;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>
/// The XLSX reader scans the sheet part's bytes itself. Every shape XML allows (namespace prefixes, CDATA, references,
/// rich text, carriage returns, quoting, UTF-16 and other declared encodings, ...) must give the rows a conforming XML
/// reader gives, and every damaged part S02 after the rows before the damage (a document type declaration included:
/// DTDs are prohibited). The expected rows were taken from the XmlReader pass the scanner replaced.
/// </summary>
public class SheetScannerTests
{
    /// <summary>What the reader gives for each shape in <see cref="SheetShapes"/> (rows as "number:field(full length)|...", runs of 16 or more of a character as "c*N").</summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["default namespace"] = "1:loan_id(7)|amount(6)\n2:L1(2)|1000.5(6)",
        ["main namespace as a prefix"] = "1:a(1)\n2:7(1)",
        ["entity and character references"] = "1:loan_id(7)|amount(6)\n2:A&B <x> \"q\" 's' AB😀(20)|(0)",
        ["comments and processing instructions"] = "1:loan_id(7)|amount(6)\n2:12(2)|(0)",
        ["byte order mark"] = "1:loan_id(7)|amount(6)",
        ["no declaration"] = "1:loan_id(7)|amount(6)",
        ["rich text runs and first direct text"] = "1:loan_id(7)|amount(6)\n2:Rich(4)|first(5)",
        ["empty elements and missing cells"] = "1:loan_id(7)|amount(6)\n4:(0)|(0)\n6:(0)|(0)",
        ["white space, tabs and newlines"] = "1:loan_id(7)|amount(6)\n2:padded(6)|(0)",
        ["non-ASCII text"] = "1:loan_id(7)|amount(6)\n2:借款人-Ω-é(7)|(0)",
        ["a 100 kB field"] = "1:loan_id(7)|amount(6)\n2:x*256(257)|9*256(70000)",
        ["cell kinds"] = "1:loan_id(7)|amount(6)\n2:TRUE(4)|=A1(3)|#N/A(4)|0.3(3)|1000(4)|2026-02-03(10)",
        ["only the first value counts, other elements are passed over"] = "1:loan_id(7)|amount(6)\n2:3(1)|(0)",
        ["a row nested in another element"] = "1:loan_id(7)|amount(6)\n2:1(1)|(0)",
        ["another prefix declared and used"] = "1:loan_id(7)|amount(6)\n2:6(1)|(0)",
        ["a greater-than sign in text"] = "1:loan_id(7)|amount(6)\n2:a>b(3)|(0)",
        ["cell attributes in any order, empty values, empty cells"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["content after sheet data"] = "1:loan_id(7)|amount(6)",
        ["CDATA"] = "1:loan_id(7)|amount(6)\n2:a<b&(4)|12(2)",
        ["CDATA in rich text runs and skipped elements"] = "1:loan_id(7)|amount(6)\n2:x>y(3)|after empty(11)",
        ["carriage returns in text and tags"] = "1:loan_id(7)|amount(6)\n2:a\nb\nc\rd(7)|(0)",
        ["references in attributes"] = "1:loan_id(7)|amount(6)\n2:(0)|x(1)",
        ["white space in attributes"] = "1:loan_id(7)|amount(6)\n2:1(1)|(0)",
        ["main namespace declared again"] = "1:loan_id(7)|amount(6)\n2:1(1)|(0)",
        ["main namespace under another prefix"] = "1:loan_id(7)|amount(6)\n2:5(1)|(0)",
        ["default namespace undone"] = "1:loan_id(7)|amount(6)\n2:2(1)|(0)",
        ["main namespace declared below the root"] = "1:loan_id(7)|amount(6)\n2:3(1)|(0)",
        ["root not in the main namespace"] = "",
        ["greater-than sign in an attribute value"] = "1:loan_id(7)|amount(6)\n2:1(1)|q(1)",
        ["single quotes and spaces around equals"] = "1:loan_id(7)|amount(6)\n5:(0)|z(1)",
        ["a processing instruction with a greater-than sign"] = "1:loan_id(7)|amount(6)\n2:1(1)|(0)",
        ["a tag over a megabyte"] = "1:loan_id(7)|amount(6)\n2:1(1)|(0)",
        ["non-ASCII names and attribute values"] = "1:loan_id(7)|amount(6)\n2:1(1)|(0)",
        ["lower-case utf-8 declaration with single quotes"] = "1:loan_id(7)|amount(6)",
        ["UTF-16 little endian with a byte order mark"] = "1:loan_id(7)|amount(6)\n2:é-借(3)|(0)",
        ["UTF-16 big endian with a byte order mark"] = "1:loan_id(7)|amount(6)\n2:é-借(3)|(0)",
        ["UTF-16 without a byte order mark"] = "1:loan_id(7)|amount(6)\n2:é-借(3)|(0)",
        ["ISO-8859-1"] = "1:loan_id(7)|amount(6)\n2:café(4)|(0)",
        ["an element inside a value"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["undeclared prefix"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["prefix used outside its declaration"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["prefix undeclared"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["mismatched end tag"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["truncated document"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["text outside the root"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["a second root element"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["unknown entity"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["unknown entity in an attribute"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["less-than sign in an attribute"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["upper-case X in a character reference"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["forbidden character reference"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["control character"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["noncharacter U+FFFE"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["duplicate attribute"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["duplicate cell attribute"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["cell attributes not separated"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["document type declaration"] = "error S02",
        ["entity declaration"] = "error S02",
        ["a declaration that is not at the start"] = "error S02",
        ["a double hyphen in a comment"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["CDATA end in text"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["CDATA outside the root"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["unterminated CDATA"] = "1:loan_id(7)|amount(6)\nerror S02",
        ["unknown encoding"] = "error S02",
        ["UTF-16 declared over UTF-8 bytes"] = "error S02",
        ["invalid UTF-8"] = "1:loan_id(7)|amount(6)\nerror S02",
    };

    public static TheoryData<string> Valid => [.. SheetShapes.Valid().Select(s => s.Name)];

    public static TheoryData<string> Damaged => [.. SheetShapes.Damaged().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task Every_shape_XML_allows_is_read_by_the_scanner(string name)
    {
        var rows = await ReadAsync(SheetShapes.Valid().Single(s => s.Name == name).Package);
        Assert.Equal(Expected[name], rows);
    }

    [Theory]
    [MemberData(nameof(Damaged))]
    public async Task Damaged_sheets_give_the_rows_before_the_damage_then_S02(string name)
    {
        var rows = await ReadAsync(SheetShapes.Damaged().Single(s => s.Name == name).Package);
        Assert.EndsWith("error S02", rows);
        Assert.Equal(Expected[name], rows);
    }

    [Fact]
    public async Task An_odd_row_late_in_a_long_sheet_keeps_the_numbering_and_the_header_width()
    {
        var rows = new StringBuilder(SheetShapes.Header);
        for (var i = 0; i < 3_000; i++)
        {
            rows.Append(i == 2_500 ? "<row><c t=\"inlineStr\"><is><t><![CDATA[late]]></t></is></c></row>" : $"<row><c t=\"inlineStr\"><is><t>L{i}</t></is></c></row>");
        }

        var read = (await ReadAsync(SheetShapes.Package(SheetShapes.Sheet(rows.ToString())))).Split('\n');
        Assert.Equal(3_001, read.Length);
        Assert.Equal("2502:late(4)|(0)", read[2_501]);
        Assert.Equal("3001:L2999(5)|(0)", read[^1]);
    }

    [Fact]
    public async Task A_sheet_cut_anywhere_gives_rows_or_S02_and_nothing_else()
    {
        var xml = SheetShapes.Sheet(SheetShapes.Header + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>L&amp;1</t></is></c><c r=\"B2\"><v>1</v></c></row>"
            + "<row><c t='inlineStr'><is><r><t><![CDATA[a\r\nb]]></t></r></is></c><!-- c --><?pi x?><c><v>2</v></c></row>");
        for (var length = 0; length < xml.Length; length++)
        {
            var rows = await ReadAsync(SheetShapes.Package(xml[..length]));
            Assert.True(rows.EndsWith("error S02", StringComparison.Ordinal), $"{length}: {rows}");
        }
    }

    [Fact]
    public async Task Odd_rows_read_the_same_wherever_they_fall_in_the_read_buffer()
    {
        // About 1.5 MB of rows of every length from 200 to 300 bytes: markup of each kind straddles the 128 kB buffer's end somewhere.
        const string Odd = "<c t='inlineStr'><is><r><t><![CDATA[a\r\nb]]></t></r><r><t>&amp;&#x42;é借</t></r></is></c><!-- c --><?pi x?><c r=\"C{0}\" o='>'><v>1{1}</v></c>";
        var rows = new StringBuilder(SheetShapes.Header);
        for (var i = 0; i < 6_000; i++)
        {
            rows.Append($"<row r=\"{i + 2}\">").Append(string.Format(Odd, i + 2, new string('0', i % 100))).Append("</row>");
        }

        var read = Regex.Split(await ReadAsync(SheetShapes.Package(SheetShapes.Sheet(rows.ToString()))), @"\n(?=\d+:)");
        Assert.Equal(6_001, read.Length);
        for (var i = 0; i < 6_000; i++)
        {
            var zeros = i % 100 == 0 ? "" : i % 100 < 16 ? new string('0', i % 100) : $"0*{i % 100}";
            Assert.Equal($"{i + 2}:a\nb&Bé借(7)|(0)|1{zeros}({1 + (i % 100)})", read[i + 1]);
        }
    }

    [Theory]
    [InlineData("valid.xlsx", ValidXlsx)]
    [InlineData("several_sheets.xlsx", ValidXlsx)]
    [InlineData("text_cells_with_errors.xlsx", TextCellsWithErrors)]
    [InlineData("empty_sheet.xlsx", "")]
    public async Task Corpus_workbooks_are_read_as_the_filer_sees_them(string file, string expected)
    {
        Assert.Equal(expected, await ReadAsync(await File.ReadAllBytesAsync(LoanTapeTestData.CorpusPath(file))));
    }

    [Fact]
    public async Task Workbooks_written_by_the_OpenXml_SDK_read_like_the_same_tape_as_CSV()
    {
        var loans = Enumerable.Range(0, 50).Select(i => LoanTapeTestData.Loan($"L{i}")).ToList();
        using var csv = await CsvLoanTapeReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(LoanTapeTestData.Csv(loans))), CancellationToken.None);
        var xlsx = await ReadAsync(LoanTapeTestData.Xlsx(loans));
        Assert.Equal(Fields(await ReadAsync(csv)), Fields(xlsx)); // CSV records are numbered from 0, sheet rows from 1

        Assert.Equal(51, xlsx.Split('\n').Length);
    }

    private static string Fields(string rows) => Regex.Replace(rows, @"(?m)^\d+:", "");

    private const string ValidXlsx = "1:platform_code(13)|reporting_month(15)|loan_id(7)|borrower_ref(12)|product_type(12)|scenario(8)|origination_date(16)|principal(9)|credit_limit(12)|term_months(11)|annual_rate_pct(15)|outstanding_principal(21)|days_past_due(13)|status(6)|charge_off_amount(17)|recovery_amount(15)|funding_source(14)\n2:JDBT(4)|2026-01(7)|L0001(5)|B0001(5)|INSTALLMENT(11)|ECOMMERCE(9)|2025-06-15(10)|12000(5)|0(1)|12(2)|18.25(5)|7000(4)|0(1)|CURRENT(7)|0(1)|0(1)|OWN_FUNDS(9)\n3:JDBT(4)|2026-01(7)|L0002(5)|B0002(5)|CREDIT_LINE(11)|TRAVEL(6)|2025-09-01(10)|5000(4)|20000(5)|6(1)|23.9(4)|4200.5(6)|15(2)|DELINQUENT(10)|0(1)|0(1)|BANK_COLENDING(14)\n4:JDBT(4)|2026-01(7)|L0003(5)|B0003(5)|CASH_LOAN(9)|EDUCATION(9)|2024-03-10(10)|30000(5)|0(1)|24(2)|15(2)|2000(4)|120(3)|DEFAULTED(9)|0(1)|0(1)|ABS(3)\n5:JDBT(4)|2026-01(7)|L0004(5)|B0001(5)|INSTALLMENT(11)|DECORATION(10)|2023-01-20(10)|8000(4)|0(1)|36(2)|12.5(4)|0(1)|0(1)|REPAID(6)|0(1)|0(1)|OTHER_INSTITUTION(17)\n6:JDBT(4)|2026-01(7)|L0005(5)|B0004(5)|CASH_LOAN(9)|OTHER(5)|2024-11-05(10)|10000(5)|0(1)|12(2)|20(2)|0(1)|200(3)|CHARGED_OFF(11)|9500(4)|300(3)|OTHER(5)\n7:JDBT(4)|2026-01(7)|L0006(5)|B0005(5)|CREDIT_LINE(11)|ECOMMERCE(9)|2025-12-31(10)|3000(4)|10000(5)|3(1)|0(1)|3000(4)|0(1)|CURRENT(7)|0(1)|0(1)|OWN_FUNDS(9)\n8:JDBT(4)|2026-01(7)|L0007(5)|B0006(5)|INSTALLMENT(11)|EDUCATION(9)|2026-01-31(10)|6000(4)|0(1)|60(2)|9.99(4)|6000(4)|0(1)|CURRENT(7)|0(1)|0(1)|BANK_COLENDING(14)\n9:JDBT(4)|2026-01(7)|L0008(5)|B0007(5)|INSTALLMENT(11)|TRAVEL(6)|2025-02-28(10)|4000(4)|0(1)|1(1)|24(2)|1000(4)|89(2)|DELINQUENT(10)|0(1)|0(1)|ABS(3)";

    private const string TextCellsWithErrors = "1:platform_code(13)|reporting_month(15)|loan_id(7)|borrower_ref(12)|product_type(12)|scenario(8)|origination_date(16)|principal(9)|credit_limit(12)|term_months(11)|annual_rate_pct(15)|outstanding_principal(21)|days_past_due(13)|status(6)|charge_off_amount(17)|recovery_amount(15)|funding_source(14)\n2:JDBT(4)|2026-01(7)|L0001(5)|B0001(5)|INSTALMENT(10)|ECOMMERCE(9)|2025-06-15(10)|12000.00(8)|0(1)|12(2)|18.25(5)|7000.00(7)|0(1)|CURRENT(7)|0(1)|0(1)|OWN_FUNDS(9)\n3:JDBT(4)|2026-01(7)|L0002(5)|B0002(5)|CREDIT_LINE(11)|TRAVEL(6)|2025-09-01(10)|5000.00(7)|20000.00(8)|6(1)|23.9(4)|4200.50(7)|15(2)|DELINQUENT(10)|0(1)|0(1)|BANK_COLENDING(14)\n4:JDBT(4)|2026-01(7)|L0003(5)|B0003(5)|CASH_LOAN(9)|EDUCATION(9)|2024-03-10(10)|30000.00(8)|0(1)|24(2)|15(2)|2000.00(7)|120(3)|DEFAULTED(9)|0(1)|0(1)|ABS(3)\n5:JDBT(4)|2026-01(7)|L0004(5)|B0001(5)|INSTALLMENT(11)|DECORATION(10)|2023-01-20(10)|8000.00(7)|0(1)|36(2)|12.5(4)|0(1)|0(1)|REPAID(6)|0(1)|0(1)|OTHER_INSTITUTION(17)\n6:JDBT(4)|2026-01(7)|L0005(5)|B0004(5)|CASH_LOAN(9)|OTHER(5)|2024-11-05(10)|10000.00(8)|0(1)|12(2)|20(2)|0(1)|200(3)|CHARGED_OFF(11)|9500.00(7)|300.00(6)|OTHER(5)\n7:JDBT(4)|2026-01(7)|L0006(5)|B0005(5)|CREDIT_LINE(11)|ECOMMERCE(9)|2025-12-31(10)|3000.00(7)|10000.00(8)|3(1)|0(1)|3000.00(7)|0(1)|CURRENT(7)|0(1)|0(1)|OWN_FUNDS(9)\n8:JDBT(4)|2026-01(7)|L0007(5)|B0006(5)|INSTALLMENT(11)|EDUCATION(9)|2026-01-31(10)|6000.00(7)|0(1)|60(2)|9.99(4)|6000.00(7)|0(1)|CURRENT(7)|0(1)|0(1)|BANK_COLENDING(14)\n9:JDBT(4)|2026-01(7)|L0008(5)|B0007(5)|INSTALLMENT(11)|TRAVEL(6)|2025-02-28(10)|4000.00(7)|0(1)|1(1)|24(2)|1000.00(7)|89(2)|DELINQUENT(10)|0(1)|0(1)|ABS(3)";

    private static async Task<string> ReadAsync(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        try
        {
            using var reader = XlsxLoanTapeReader.Open(stream, new LoanTapeLimits());
            return await ReadAsync(reader);
        }
        catch (LoanTapeUnreadableException e)
        {
            return $"error {e.Rule.Code}";
        }
    }

    /// <summary>Every row as "number:field(full length)|...", then the edit code the reading stopped with, if any.</summary>
    private static async Task<string> ReadAsync(ILoanTapeReader reader)
    {
        var rows = new List<string>();
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

        return Regex.Replace(string.Join('\n', rows), @"(.)\1{15,}", m => $"{m.Groups[1].Value}*{m.Length}");
    }
}
