using System.IO.Compression;
using System.Text;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.LoanTapes;
using static FinancePortal.UnitTests.LoanTapes.LoanTapeTestData;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>The orchestration: one pass with the row rules held back on disk, callbacks, summary, formats and their safety limits.</summary>
public class LoanTapeCheckerTests
{
    private static List<Dictionary<string, string>> MixedLoans() =>
    [
        Loan("L1"),
        Loan("L2", ("principal", "250000"), ("annual_rate_pct", "30.5")),
        Loan("L3", ("status", "LATE")),
        Loan("L4", ("origination_date", "2024-02-30"), ("principal", "1,000.00")),
        Loan("L5", ("product_type", "CREDIT_LINE"), ("credit_limit", "1000"), ("outstanding_principal", "5000"), ("principal", "4000")),
        Loan("L1"),
        Loan("=cmd|' /C calc'!A0", ("borrower_ref", "line\nbreak, \"quoted\"")),
        Loan("L8", ("days_past_due", "120"), ("status", "DEFAULTED"), ("scenario", "TRAVEL"), ("funding_source", "ABS")),
    ];

    /// <summary>
    /// The reference the partitioned disk pass must equal: each row's own edits, then duplicates (V02) and borrower
    /// running totals (Q05) kept in memory, row by row, then the macro edits.
    /// </summary>
    private static (List<Finding> Findings, List<LoanTapeRow> Rows, MonthFigures Figures) InMemory(List<Dictionary<string, string>> loans, MonthFigures? previous)
    {
        var validator = Validator(previous);
        var (findings, rows, seen, totals) = (new List<Finding>(), new List<LoanTapeRow>(), new HashSet<string>(StringComparer.Ordinal), new Dictionary<string, decimal>());
        for (var n = 1; n <= loans.Count; n++)
        {
            var own = new List<Finding>();
            var row = validator.ValidateDeferred(n, Raw(n, loans[n - 1]), own, out var loanId);
            var repeated = loanId is not null && !seen.Add(loanId);
            if (row is null || !repeated)
            {
                findings.AddRange(own);
            }

            if (repeated)
            {
                findings.Add(validator.Duplicate(n, loanId!));
                continue;
            }

            if (row is not null)
            {
                validator.Accept(row);
                rows.Add(row);
                var total = totals[row.BorrowerRef] = totals.GetValueOrDefault(row.BorrowerRef) + row.Principal;
                if (LoanTapeValidator.PassesBorrowerLimit(total, row.Principal))
                {
                    findings.Add(LoanTapeValidator.BorrowerTotal(n, row.LoanId, row.BorrowerRef, total));
                }
            }
        }

        validator.Finish(findings);
        return (findings, rows, validator.Figures);
    }

    [Fact]
    public async Task Csv_and_xlsx_of_the_same_rows_give_identical_findings_and_rows()
    {
        var loans = MixedLoans();

        var csv = await CheckCsvAsync(Csv(loans));
        var xlsx = await CheckAsync(Xlsx(loans), "tape.xlsx");

        Assert.Equal("Q01,Q02,V14,V06,V19,Q03,Q04,V02", csv.Codes);
        Assert.Equal(csv.Findings, xlsx.Findings);
        Assert.Equal(csv.Rows, xlsx.Rows);
        Assert.Equal(5, xlsx.Rows.Count);
        Assert.Equal(csv.Summary with { FindingsByCode = null! }, xlsx.Summary with { FindingsByCode = null! });
        Assert.Equal(csv.Summary.FindingsByCode, xlsx.Summary.FindingsByCode);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Duplicates_and_borrower_totals_found_from_disk_equal_the_in_memory_validator(int seed)
    {
        // Many repeats of loan ids (valid and invalid first rows, non-ASCII ids) and borrowers whose totals pass 300,000
        // on different rows; the checker's partitioned pass must report exactly what one in-memory pass reports.
        var random = new Random(seed);
        var loans = new List<Dictionary<string, string>>();
        for (var i = 0; i < 6_000; i++)
        {
            var id = random.Next(4) == 0 ? $"L{random.Next(3_000)}" : $"L{i}-{(random.Next(9) == 0 ? "贷款" : "x")}";
            var changes = new List<(string, string)>
            {
                ("borrower_ref", random.Next(3) == 0 ? $"B{random.Next(40)}" : $"B-{i}-{(random.Next(7) == 0 ? "借" : "y")}"),
                ("principal", random.Next(5) == 0 ? "150000.50" : $"{random.Next(1, 99_999)}.{random.Next(100):D2}"),
            };
            if (random.Next(15) == 0)
            {
                changes.Add(("status", "LATE"));
            }

            if (random.Next(20) == 0)
            {
                changes.Add(("annual_rate_pct", "30"));
            }

            loans.Add(Loan(id, [.. changes]));
        }

        var (expected, validRows, _) = InMemory(loans, null);
        var result = await CheckCsvAsync(Csv(loans));

        Assert.Contains(expected, f => f.Code == "V02");
        Assert.Contains(expected, f => f.Code == "Q05");
        Assert.Equal(expected, result.Findings);
        Assert.Equal(validRows, result.Rows);
        Assert.Equal(validRows.Count, result.Summary.ValidRows);
    }

    [Fact]
    public async Task The_spill_in_memory_and_on_disk_give_the_same_findings_rows_and_summary()
    {
        // Enough long keys that every partition of loan ids and borrowers spills chunks (16 KB each) to the store.
        var loans = Enumerable.Range(1, 60_000).Select(i => Loan($"LOAN-{(i % 7 == 0 ? i / 2 : i):D8}-spilled-to-the-store", ("borrower_ref", $"BORROWER-{i % 3_000:D6}-spilled"), ("principal", $"{20_000 + i}.50"),
            ("status", i % 97 == 0 ? "LATE" : "CURRENT"))).ToList();
        var bytes = Encoding.UTF8.GetBytes(Csv(loans));

        async Task<(LoanTapeSummary Summary, List<Finding> Findings, List<LoanTapeRow> Rows)> RunAsync(ISpillStore spill)
        {
            var (findings, rows) = (new List<Finding>(), new List<LoanTapeRow>());
            using var stream = new MemoryStream(bytes);
            var summary = await Checker(spill: spill).CheckAsync(stream, "tape.csv", Platform, Period, null,
                r => { rows.Add(r); return ValueTask.CompletedTask; }, f => { findings.Add(f); return ValueTask.CompletedTask; });
            return (summary, findings, rows);
        }

        var memory = await RunAsync(new MemorySpillStore());
        var disk = await RunAsync(new DiskSpillStore());

        Assert.Contains(memory.Findings, f => f.Code == "V02");
        Assert.Contains(memory.Findings, f => f.Code == "V14");
        Assert.Equal(memory.Findings, disk.Findings);
        Assert.Equal(memory.Rows, disk.Rows);
        Assert.Equal((memory.Summary.BlockingFindings, memory.Summary.WarningFindings, memory.Summary.ValidRows),
            (disk.Summary.BlockingFindings, disk.Summary.WarningFindings, disk.Summary.ValidRows));
        Assert.Equal(memory.Summary.FindingsByCode.Where(kv => EditRules.Get(kv.Key).IsBlocking).Sum(kv => kv.Value), memory.Summary.BlockingFindings);
    }

    [Fact]
    public async Task A_clean_file_with_repeat_borrowers_gives_the_same_figures_and_warnings_as_the_in_memory_validator()
    {
        var loans = Enumerable.Range(1, 3_000).Select(i => Loan($"L{i}", ("borrower_ref", $"B{i % 50}"), ("principal", $"{6_000 + i}.25"),
            ("days_past_due", i % 10 == 0 ? "120" : "0"), ("status", i % 10 == 0 ? "DEFAULTED" : "CURRENT"))).ToList();
        var previous = new MonthFigures(1_000, 1_000_000m, 10_000m);
        var (expected, _, figures) = InMemory(loans, previous);
        var result = await CheckCsvAsync(Csv(loans), previous);

        Assert.Equal(50, expected.Count(f => f.Code == "Q05"));
        Assert.Contains(expected, f => f.Code.StartsWith('M'));
        Assert.Equal(expected, result.Findings);
        Assert.Equal(figures, result.Summary.Figures);
    }

    [Fact]
    public async Task Summary_counts_findings_per_code_and_separates_blocking_from_warnings()
    {
        var result = await CheckCsvAsync(Csv(MixedLoans()));

        Assert.Equal(8, result.Summary.RowsRead);
        Assert.Equal(5, result.Summary.ValidRows);
        Assert.True(result.Summary.HasBlockingErrors);
        Assert.True(result.Summary.HasWarnings);
        Assert.Null(result.Summary.Figures);
        Assert.Equal(1, result.Summary.FindingsByCode["V02"]);
        Assert.Equal(8, result.Summary.FindingsByCode.Values.Sum());
    }

    [Fact]
    public async Task A_file_with_only_warnings_is_not_blocking_and_gives_the_month_figures()
    {
        var result = await CheckCsvAsync(Csv([Loan("L1", ("annual_rate_pct", "30")), Loan("L2")]), new MonthFigures(2, 12_000m, 0m));

        Assert.Equal("Q02", result.Codes);
        Assert.False(result.Summary.HasBlockingErrors);
        Assert.True(result.Summary.HasWarnings);
        Assert.Equal(new MonthFigures(2, 12_000m, 0m), result.Summary.Figures);
    }

    [Fact]
    public async Task A_syntax_error_on_the_last_row_stops_all_row_rules()
    {
        var loans = Enumerable.Range(1, 50).Select(i => Loan($"L{i}", ("status", "LATE"))).ToList();
        loans.Add(Loan("L51", ("reporting_month", "2025-12")));

        var result = await CheckCsvAsync(Csv(loans));

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("S14", 51), (finding.Code, finding.Row));
        Assert.Empty(result.Rows);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Many_held_back_findings_come_out_the_same_with_and_without_rows_or_not_at_all_after_a_late_syntax_error(bool syntaxErrorAtTheEnd)
    {
        var count = 10_500;
        var loans = Enumerable.Range(1, count).Select(i => i % 2 == 0 ? Loan($"L{i}", ("status", "LATE")) : Loan($"L{i}", ("principal", "250000"))).ToList();
        if (syntaxErrorAtTheEnd)
        {
            loans.Add(Loan("LAST", ("platform_code", "XXXX")));
        }

        var withRows = await CheckCsvAsync(Csv(loans));
        var findings = new List<Finding>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Csv(loans)));
        var withoutRows = await Checker().CheckAsync(stream, "tape.csv", Platform, Period, null, null,
            f => { findings.Add(f); return ValueTask.CompletedTask; });

        Assert.Equal(withRows.Findings, findings);
        Assert.Equal(withRows.Summary.FindingsByCode, withoutRows.FindingsByCode);
        Assert.Equal((withRows.Summary.RowsRead, withRows.Summary.ValidRows), (withoutRows.RowsRead, withoutRows.ValidRows));
        if (syntaxErrorAtTheEnd)
        {
            Assert.Equal(("S13", count + 1), (Assert.Single(findings).Code, findings[0].Row));
            Assert.Empty(withRows.Rows);
            Assert.Equal(0, withoutRows.ValidRows);
        }
        else
        {
            Assert.Equal(count, findings.Count);
            Assert.Equal(Enumerable.Range(1, count), findings.Select(f => f.Row!.Value));
            Assert.Equal(Enumerable.Range(1, count).Where(i => i % 2 == 1), withRows.Rows.Select(r => r.RowNumber));
            Assert.Equal((count / 2, count / 2), (findings.Count(f => f.Code == "V14"), findings.Count(f => f.Code == "Q01")));
        }
    }

    [Fact]
    public async Task Reading_rows_for_a_commit_delivers_valid_rows_in_one_pass_and_counts_blocking_findings()
    {
        var clean = Enumerable.Range(1, 29).Select(i => Loan($"L{i}")).Append(Loan("L30", ("principal", "250000"))).ToList();
        var rows = new List<LoanTapeRow>();
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(Csv(clean))))
        {
            var summary = await Checker().ReadValidRowsAsync(stream, "tape.csv", Platform, Period, r => { rows.Add(r); return ValueTask.CompletedTask; });
            Assert.Equal((30, 30, false), (rows.Count, summary.ValidRows, summary.HasBlockingErrors));
            Assert.Empty(summary.FindingsByCode); // the quality edits (warnings, confirmed before signing) are skipped
            Assert.Equal("Q01", (await CheckCsvAsync(Csv(clean))).Codes);
            Assert.Equal((await CheckCsvAsync(Csv(clean))).Rows, rows);
        }

        clean.Add(Loan("L31", ("reporting_month", "2025-12")));
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(Csv(clean))))
        {
            var summary = await Checker().ReadValidRowsAsync(stream, "tape.csv", Platform, Period, _ => ValueTask.CompletedTask);
            Assert.True(summary.HasBlockingErrors);
            Assert.Equal(1, summary.FindingsByCode["S14"]);
        }
    }

    [Fact]
    public async Task Invalid_utf8_late_in_the_file_stops_before_any_row_is_delivered()
    {
        var text = Encoding.UTF8.GetBytes(Csv(Enumerable.Range(1, 3000).Select(i => Loan($"L{i}"))));
        var bytes = text.Concat(new byte[] { 0x4A, 0x44, 0xC3, 0x28, 0x0A }).ToArray();

        var result = await CheckAsync(bytes, "tape.csv");

        Assert.Equal("S05", result.Codes);
        Assert.Null(result.Findings[0].Row);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public async Task Findings_read_before_an_unreadable_byte_come_first_and_in_order()
    {
        // The file is parsed ahead of the checks on another thread: what was read before the error is still checked.
        var lines = Csv(Enumerable.Range(1, 3000).Select(i => Loan($"L{i}"))).Split('\n').ToList();
        lines[100] += ",extra";
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines)).Concat(new byte[] { 0x4A, 0x44, 0xC3, 0x28, 0x0A }).ToArray();

        var result = await CheckAsync(bytes, "tape.csv");

        Assert.Equal(2, result.Findings.Count);
        Assert.Equal(100, result.Findings[0].Row);
        Assert.EndsWith(",S05", result.Codes);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public async Task An_unclosed_quote_in_a_big_file_is_a_syntactical_error_not_a_crash()
    {
        var text = new StringBuilder(Csv([Loan("L1")])).Append("JDBT,2026-01,\"L2,");
        text.Append('x', 17_000_000);

        var result = await CheckAsync(Encoding.UTF8.GetBytes(text.ToString()), "tape.csv");

        Assert.Equal("S15", result.Codes);
        Assert.Contains("double quote (\") is not closed", result.Findings[0].Message);
    }

    [Fact]
    public async Task A_line_of_two_million_commas_is_one_short_finding()
    {
        var result = await CheckCsvAsync(Csv([]) + new string(',', 2_000_000) + "x\n");

        Assert.Equal("Row 1 has 2000001 fields; the header row has 17 fields.", Assert.Single(result.Findings).Message);
    }

    [Fact]
    public async Task Progress_counts_rows_of_the_rule_pass()
    {
        var reported = new List<long>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Csv(Enumerable.Range(1, 2500).Select(i => Loan($"L{i}")))));

        await Checker().CheckAsync(stream, "t.csv", Platform, Period, null, _ => ValueTask.CompletedTask,
            _ => ValueTask.CompletedTask, new SyncProgress(reported));

        Assert.Equal([1000, 2000, 2500], reported);
    }

    private sealed class SyncProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value) => values.Add(value);
    }

    [Fact]
    public async Task A_non_seekable_stream_is_refused()
    {
        await using var stream = new GZipStream(new MemoryStream(), CompressionMode.Decompress);

        await Assert.ThrowsAsync<ArgumentException>(() => Checker().CheckAsync(stream, "t.csv", Platform, Period, null,
            _ => ValueTask.CompletedTask, _ => ValueTask.CompletedTask));
    }

    [Fact]
    public async Task Cancellation_stops_the_check()
    {
        using var cts = new CancellationTokenSource();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Csv(Enumerable.Range(1, 100).Select(i => Loan($"L{i}")))));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Checker().CheckAsync(stream, "t.csv", Platform, Period, null,
            _ => { cts.Cancel(); return ValueTask.CompletedTask; }, _ => ValueTask.CompletedTask, null, cts.Token));
    }

    [Theory]
    [InlineData("tape.csv")]
    [InlineData("tape.xlsx")]
    public async Task The_callers_stream_is_left_open_and_can_be_read_again(string fileName)
    {
        var loans = new[] { Loan("L1"), Loan("L2") };
        var bytes = fileName.EndsWith(".csv", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes(Csv(loans)) : Xlsx(loans);
        using var stream = new MemoryStream(bytes);
        var checker = Checker();

        for (var i = 0; i < 2; i++)
        {
            stream.Position = 0;
            var summary = await checker.CheckAsync(stream, fileName, Platform, Period, null, _ => ValueTask.CompletedTask, _ => ValueTask.CompletedTask);
            Assert.Equal(2, summary.ValidRows);
        }

        Assert.True(stream.CanRead);
    }

    [Fact]
    public async Task A_big_file_streams_through_without_keeping_rows()
    {
        const int count = 60_000;
        var path = Path.GetTempFileName();
        try
        {
            await using (var writer = new StreamWriter(path))
            {
                await writer.WriteAsync(Csv([]));
                for (var i = 1; i <= count; i++)
                {
                    await writer.WriteAsync($"JDBT,2026-01,L{i},B{i},INSTALLMENT,ECOMMERCE,2025-07-01,10000.00,0,12,18,6000.00,0,CURRENT,0,0,OWN_FUNDS\n");
                }
            }

            var valid = 0;
            await using var stream = File.OpenRead(path);
            var summary = await Checker().CheckAsync(stream, "big.csv", Platform, Period, null,
                _ => { valid++; return ValueTask.CompletedTask; }, _ => ValueTask.CompletedTask);

            Assert.Equal((count, count, count), (summary.RowsRead, summary.ValidRows, valid));
            Assert.Equal(count * 6000m, summary.Figures!.OutstandingBalance);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Xlsx_with_a_strongly_compressed_entry_is_refused_before_reading()
    {
        var bytes = ZipWithEntry("xl/worksheets/sheet1.xml", 64 << 20);

        var result = await CheckAsync(bytes, "bomb.xlsx");

        Assert.Equal("S04", result.Codes);
    }

    [Fact]
    public async Task Xlsx_over_the_total_size_limit_is_refused()
    {
        var limits = new LoanTapeLimits { MaxUncompressedBytes = 1000 };

        var result = await CheckAsync(Xlsx([Loan("L1")]), "tape.xlsx", limits: limits);

        Assert.Equal("S04", result.Codes);
    }

    private static byte[] ZipWithEntry(string name, int zeros)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
            var block = new byte[1 << 20];
            for (var written = 0; written < zeros; written += block.Length)
            {
                entry.Write(block);
            }
        }

        return stream.ToArray();
    }

    [Fact]
    public async Task Xlsx_reads_only_the_first_sheet()
    {
        var result = await CheckAsync(Xlsx([Loan("L1")], "not,a,loan,tape"), "tape.xlsx");

        Assert.Equal("", result.Codes);
        Assert.Equal("L1", Assert.Single(result.Rows).LoanId);
    }

    [Fact]
    public async Task Xlsx_dates_numbers_and_formatting_only_cells_are_read_as_the_filer_sees_them()
    {
        var result = await CheckCorpusAsync("valid.xlsx");

        Assert.Equal(new DateOnly(2025, 6, 15), result.Rows[0].OriginationDate);
        Assert.Equal(4200.5m, result.Rows[1].OutstandingPrincipal);

        var header = LoanTapeFormat.Columns.Select(c => c).ToList();
        var loan = Loan("L1");
        var row = LoanTapeFormat.Columns.Select(c => loan[c]).Append("").Append("").ToList();
        var withTail = await CheckAsync(Workbook([[header, row]]), "tape.xlsx");
        Assert.Equal("", withTail.Codes);
    }

    [Fact]
    public async Task Xlsx_cell_kinds_written_by_other_tools_are_read_as_the_filer_sees_them()
    {
        // Inline strings (plain, rich-text runs, phonetic runs), formula results, booleans, ISO dates, cells and rows
        // without references, comments: what tools other than Excel write.
        var header = string.Concat(LoanTapeFormat.Columns.Select(c => $"<c t=\"inlineStr\"><is><t>{c}</t></is></c>"));
        const string row =
            "<c t=\"inlineStr\"><is><r><rPr><b/></rPr><t>JD</t></r><r><t>BT</t></r></is></c>" +
            "<c t=\"inlineStr\"><is><t xml:space=\"preserve\">2026-01</t><rPh><t>x</t></rPh></is></c>" +
            "<c r=\"C2\" t=\"str\"><f>CONCAT(\"L\",\"1\")</f><v>L1</v></c>" +
            "<!-- a comment --><c r=\"D2\" t=\"inlineStr\"><is><t>B-L1</t></is></c>" +
            "<c t=\"inlineStr\"><is><t>INSTALLMENT</t></is></c><c t=\"inlineStr\"><is><t>ECOMMERCE</t></is></c>" +
            "<c t=\"d\"><v>2025-07-01T00:00:00</v></c><c><v>10000</v></c><c r=\"I2\"><v>0</v></c><c t=\"n\"><v>12</v></c>" +
            "<c><v>18.000000000000004</v></c><c><v>6000.5</v></c><c><v>0</v></c><c t=\"inlineStr\"><is><t>CURRENT</t></is></c>" +
            "<c><v>0</v></c><c r=\"P2\"><v>0</v></c><c r=\"Q2\" t=\"inlineStr\"><is><t>OWN_FUNDS</t></is></c><c r=\"R2\" s=\"0\"/>";
        var sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" +
                    $"<sheetData><row>{header}</row><row r=\"2\">{row}</row><row r=\"3\"/></sheetData></worksheet>";
        var bytes = Xlsx([Loan("L1")]);
        using (var stream = new MemoryStream())
        {
            stream.Write(bytes);
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
            {
                var entry = zip.Entries.Single(e => e.FullName.Contains("worksheets/", StringComparison.Ordinal));
                var name = entry.FullName;
                entry.Delete();
                await using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                await writer.WriteAsync(sheet);
            }

            bytes = stream.ToArray();
        }

        var result = await CheckAsync(bytes, "tape.xlsx");

        Assert.Equal("", result.Codes);
        var loan = Assert.Single(result.Rows);
        Assert.Equal(("JDBT", "L1", "B-L1", new DateOnly(2025, 7, 1)), (loan.PlatformCode, loan.LoanId, loan.BorrowerRef, loan.OriginationDate));
        Assert.Equal((10000m, 18m, 6000.5m, 1), (loan.Principal, loan.AnnualRatePct, loan.OutstandingPrincipal, loan.RowNumber));
    }

    [Fact]
    public async Task Xlsx_missing_cells_read_as_empty_fields()
    {
        var loan = Loan("L1");
        var header = LoanTapeFormat.Columns.ToList();
        var row = LoanTapeFormat.Columns.Select(c => c == "scenario" ? "" : loan[c]).ToList();

        var result = await CheckAsync(Workbook([[header, row]]), "tape.xlsx");

        Assert.Equal("V05", result.Codes);
        Assert.Equal("", result.Findings[0].Value);
    }

    [Fact]
    public async Task A_cell_beyond_the_header_is_an_extra_field()
    {
        var loan = Loan("L1");
        var header = LoanTapeFormat.Columns.ToList();
        var row = LoanTapeFormat.Columns.Select(c => loan[c]).Append("extra").ToList();

        var result = await CheckAsync(Workbook([[header, row]]), "tape.xlsx");

        Assert.Equal("S11", result.Codes);
    }

    [Theory]
    [InlineData("tape.xls", "S03")]
    [InlineData("tape.pdf", "S01")]
    [InlineData("TAPE.CSV", "")]
    public async Task The_extension_chooses_the_reader(string fileName, string code)
    {
        var result = await CheckAsync(Encoding.UTF8.GetBytes(Csv([Loan("L1")])), fileName);

        Assert.Equal(code, result.Codes);
    }
}
