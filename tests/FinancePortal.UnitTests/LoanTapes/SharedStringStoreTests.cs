using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.LoanTapes;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>
/// An XLSX saved by Excel keeps every distinct text (loan ids, borrower refs) in its shared strings: past a size they
/// move from memory to a memory-mapped temporary file, and the rows read are the same either way.
/// </summary>
public class SharedStringStoreTests
{
    [Fact]
    public void Strings_read_back_the_same_in_memory_and_spilled_to_the_file_including_empty_and_non_ascii_ones()
    {
        string[] values = ["L00000001", "", "借款人-王", "x", new string('y', 300), "", "末尾"];
        using var small = new SharedStringStore(spillAfterChars: 1_000_000);
        using var spilled = new SharedStringStore(spillAfterChars: 5);
        foreach (var value in values)
        {
            small.Add(value);
            spilled.Add(value);
        }

        small.Complete();
        spilled.Complete();

        Assert.False(small.Spilled);
        Assert.True(spilled.Spilled);
        Assert.Equal(values.Length, spilled.Count);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], small[i].ToString());
            Assert.Equal(values[i], spilled[i].ToString());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => spilled[values.Length].ToString());
    }

    [Fact]
    public void A_store_of_only_empty_strings_spills_without_text_and_reads_them()
    {
        using var store = new SharedStringStore(spillAfterChars: -1);
        store.Add("");
        store.Add("");
        store.Complete();

        Assert.True(store.Spilled);
        Assert.Equal(0, store[1].Length);
    }

    [Fact]
    public void Reading_before_complete_and_adding_after_are_refused()
    {
        using var store = new SharedStringStore(spillAfterChars: 10);
        store.Add("abc");
        Assert.Throws<InvalidOperationException>(() => store[0].ToString());
        store.Complete();
        Assert.Throws<InvalidOperationException>(() => store.Add("d"));
    }

    [Fact]
    public async Task A_workbook_whose_shared_strings_spill_gives_exactly_the_rows_and_findings_it_gives_in_memory()
    {
        var loans = Enumerable.Range(0, 400).Select(i => LoanTapeTestData.Loan($"L{i:D6}", ("borrower_ref", $"B{i % 170:D6}"))).ToList();
        var bytes = LoanTapeTestData.Xlsx(loans);

        var inMemory = await CheckAsync(bytes, new LoanTapeLimits());
        var spilled = await CheckAsync(bytes, new LoanTapeLimits { SharedStringsInMemoryChars = 100 });

        Assert.Equal(400, inMemory.Rows.Count);
        Assert.Equal(inMemory.Rows.Select(r => (r.LoanId, r.BorrowerRef, r.Principal, r.Status)), spilled.Rows.Select(r => (r.LoanId, r.BorrowerRef, r.Principal, r.Status)));
        Assert.Equal(inMemory.Codes, spilled.Codes);
        Assert.Equal("L000399", spilled.Rows[^1].LoanId);
    }

    private static async Task<(List<LoanTapeRow> Rows, string Codes)> CheckAsync(byte[] xlsx, LoanTapeLimits limits)
    {
        var rows = new List<LoanTapeRow>();
        var findings = new List<Finding>();
        using var stream = new MemoryStream(xlsx);
        await new LoanTapeChecker(new LoanTapeFormats(limits), new DiskSpillStore()).CheckAsync(stream, "tape.xlsx", "JDBT", "2026-01", null,
            row =>
            {
                rows.Add(row);
                return ValueTask.CompletedTask;
            },
            f =>
            {
                findings.Add(f);
                return ValueTask.CompletedTask;
            });
        return (rows, string.Join(",", findings.Select(f => f.Code)));
    }
}
