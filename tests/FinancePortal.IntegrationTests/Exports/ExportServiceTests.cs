using System.Runtime.CompilerServices;
using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Exports;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;

namespace FinancePortal.IntegrationTests.Exports;

/// <summary>
/// The export service reads rows on one thread and writes them on another (batches through a bounded channel): every
/// row arrives once and in order across batch boundaries, and a row source that fails half-way fails the export with
/// its own error and no audit entry.
/// </summary>
public class ExportServiceTests : IAsyncLifetime
{
    private PortalServices _portal = null!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync(seedDemo: false);

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private static readonly IReadOnlyList<ExportColumn<int>> Columns =
    [
        ExportColumn.Integer<int>("N", n => n),
        ExportColumn.Text<int>("Text", n => $"row {n}", 10),
    ];

    private static async IAsyncEnumerable<int> Numbers(int count, int? failAt = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 1; i <= count; i++)
        {
            if (i == failAt)
            {
                throw new InvalidOperationException($"The source broke at row {i}.");
            }

            if (i % 500 == 0)
            {
                await Task.Yield();
            }

            ct.ThrowIfCancellationRequested();
            yield return i;
        }
    }

    private async Task<int> ExportedEntriesAsync()
    {
        await using var scope = _portal.As(Application.Security.UserContext.System);
        await using var db = await scope.Get<IPortalDbFactory>().CreateAsync();
        return await db.AuditEntries.CountAsync(a => a.Action == AuditActions.Exported);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1_024)]
    [InlineData(5_001)]
    public async Task Every_row_is_written_once_and_in_order(int rows)
    {
        await using var scope = _portal.As(Application.Security.UserContext.System);
        var definition = new ExportDefinition<int>("numbers", "Numbers", Columns, Numbers(rows), "Test", null, null, "");
        using var file = new MemoryStream();

        var written = await scope.Get<ExportService>().WriteAsync(definition, ExportFormat.Csv, file, null, CancellationToken.None);

        Assert.Equal(rows, written);
        var lines = Encoding.UTF8.GetString(file.ToArray()).TrimStart('\uFEFF').Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("N,Text", lines[0]);
        Assert.Equal(Enumerable.Range(1, rows).Select(n => $"{n},row {n}"), lines.Skip(1));
        Assert.Equal(1, await ExportedEntriesAsync());
    }

    [Fact]
    public async Task Csv_keeps_chinese_text_characters_outside_the_basic_plane_and_quoting_across_many_buffer_flushes()
    {
        // Rows of varying length so the ~64 K-character buffer is written out at varying offsets, with characters
        // outside the basic plane (U+20BB7 is two UTF-16 units: a split pair would not decode) and texts that need quoting.
        static string TextOf(int n) => (n % 4) switch
        {
            0 => $"京东白条 {n}",
            1 => $"𠮷野家 {new string('x', n % 37)}",
            2 => $"quote \"{n}\", comma",
            _ => $"line\nbreak {n}",
        };
        IReadOnlyList<ExportColumn<int>> columns = [ExportColumn.Integer<int>("N", n => n), ExportColumn.Text<int>("Text", TextOf, 20)];
        const int rows = 40_000;
        await using var scope = _portal.As(Application.Security.UserContext.System);
        using var file = new MemoryStream();

        await scope.Get<ExportService>().WriteAsync(new ExportDefinition<int>("text", "Text", columns, Numbers(rows), "Test", null, null, ""), ExportFormat.Csv, file, null, CancellationToken.None);

        var bytes = file.ToArray();
        Assert.True(bytes.Length > 10 * 64 * 1024, $"{bytes.Length} bytes: several buffers");
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        Assert.NotEqual(Encoding.UTF8.Preamble.ToArray(), bytes[3..6]);
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        var parsed = new List<string[]>();
        using (var reader = Sep.Reader(o => o with { HasHeader = true, Unescape = true }).FromText(text))
        {
            foreach (var row in reader)
            {
                parsed.Add([row[0].ToString(), row[1].ToString()]);
            }
        }

        Assert.Equal(rows, parsed.Count);
        for (var n = 1; n <= rows; n++)
        {
            Assert.Equal([n.ToString(System.Globalization.CultureInfo.InvariantCulture), TextOf(n)], parsed[n - 1]);
        }
    }

    [Fact]
    public async Task A_source_that_fails_half_way_fails_the_export_with_its_error_and_no_audit_entry()
    {
        await using var scope = _portal.As(Application.Security.UserContext.System);
        var definition = new ExportDefinition<int>("numbers", "Numbers", Columns, Numbers(10_000, failAt: 3_000), "Test", null, null, "");
        var tracker = new ExportTracker("system");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            scope.Get<ExportService>().WriteAsync(definition, ExportFormat.Csv, new MemoryStream(), tracker, CancellationToken.None));

        Assert.Equal("The source broke at row 3000.", error.Message);
        Assert.Equal((ExportState.Failed, "The source broke at row 3000."), (tracker.State, tracker.Error));
        Assert.InRange(tracker.Rows, 0, 2_999);
        Assert.Equal(0, await ExportedEntriesAsync());
    }

    [Fact]
    public async Task Cancelling_the_tracker_stops_reading_and_writing()
    {
        await using var scope = _portal.As(Application.Security.UserContext.System);
        var tracker = new ExportTracker("system");
        var definition = new ExportDefinition<int>("numbers", "Numbers", Columns, Endless(tracker), "Test", null, null, "");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            scope.Get<ExportService>().WriteAsync(definition, ExportFormat.Csv, new MemoryStream(), tracker, CancellationToken.None));

        Assert.Equal(ExportState.Cancelled, tracker.State);
        Assert.Equal(0, await ExportedEntriesAsync());
    }

    /// <summary>Rows without end; asks the tracker to cancel after 20,000 of them.</summary>
    private static async IAsyncEnumerable<int> Endless(ExportTracker tracker)
    {
        for (var i = 1; ; i++)
        {
            if (i == 20_000)
            {
                tracker.Cancel();
            }

            if (i % 500 == 0)
            {
                await Task.Yield();
            }

            yield return i;
        }
    }
}
