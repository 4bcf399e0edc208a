using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.LoanTapes;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>
/// The staged rows of a clean check are written by a background writer in batches: every row must come back in order
/// across batch boundaries (and a last, partial batch), and a file with another row count, or one never completed,
/// must not be left behind for signing to use.
/// </summary>
public sealed class LoanTapeStagingTests : IDisposable
{
    private readonly LoanTapeStaging _staging = new(Path.Combine(Path.GetTempPath(), "financeportal-staging-tests-" + Guid.NewGuid().ToString("N")));
    private readonly string _sha = new('a', 64);

    public void Dispose()
    {
        if (Directory.Exists(_staging.Directory))
        {
            Directory.Delete(_staging.Directory, recursive: true);
        }
    }

    private static LoanTapeRow Row(int i) => new(
        i + 2, "JDBT", "2026-10", $"L{i:D6}", i % 7 == 0 ? $"借款人-{i}" : $"B{i % 97}", (ProductType)(i % 3), (LoanScenario)(i % 5),
        new DateOnly(2026, 1 + (i % 9), 1 + (i % 28)), 1000m + i + 0.25m, i % 2 == 0 ? 0m : 5000m, 1 + (i % 60), 18.1234m, 500.5m + i,
        i % 120, LoanStatus.Current, 0m, i % 11 == 0 ? 12.5m : 0m, (FundingSource)(i % 5));

    private async Task<List<LoanTapeRow>?> ReadBackAsync()
    {
        if (_staging.TryRead(_sha, "JDBT", "2026-10") is not { } staged)
        {
            return null;
        }

        var rows = new List<LoanTapeRow>();
        await foreach (var row in staged)
        {
            rows.Add(row);
        }

        return rows;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(512)]
    [InlineData(5_000)]
    public async Task Every_row_comes_back_in_order_whatever_the_batches(int count)
    {
        await using (var writer = _staging.BeginWrite(_sha, "JDBT", "2026-10"))
        {
            for (var i = 0; i < count; i++)
            {
                writer.Add(Row(i));
            }

            await writer.CompleteAsync(count);
        }

        var rows = await ReadBackAsync();
        Assert.NotNull(rows);
        Assert.Equal(Enumerable.Range(0, count).Select(Row), rows);
    }

    [Fact]
    public async Task A_file_with_another_row_count_is_thrown_away()
    {
        await using (var writer = _staging.BeginWrite(_sha, "JDBT", "2026-10"))
        {
            for (var i = 0; i < 1_000; i++)
            {
                writer.Add(Row(i));
            }

            await writer.CompleteAsync(999);
        }

        Assert.Null(await ReadBackAsync());
        Assert.Empty(Directory.GetFiles(_staging.Directory));
    }

    [Fact]
    public async Task A_writer_disposed_without_completing_leaves_nothing()
    {
        await using (var writer = _staging.BeginWrite(_sha, "JDBT", "2026-10"))
        {
            for (var i = 0; i < 3_000; i++)
            {
                writer.Add(Row(i));
            }
        }

        Assert.Null(await ReadBackAsync());
        Assert.Empty(Directory.GetFiles(_staging.Directory));
    }
}
