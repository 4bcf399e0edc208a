using System.Globalization;
using System.Net;
using System.Text;
using ClosedXML.Excel;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using nietras.SeparatedValues;

namespace FinancePortal.IntegrationTests.Exports;

/// <summary>Downloads exports over HTTP and opens them: XLSX with ClosedXML, CSV with Sep.</summary>
internal static class ExportTestKit
{
    public static async Task<HttpClient> ClientAsync(PortalAppFactory factory, string email)
    {
        var client = factory.CreatePortalClient();
        await client.SignInAsync(email);
        return client;
    }

    public static async Task<XLWorkbook> XlsxAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        return new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>The header and rows of a CSV export (after checking the UTF-8 byte-order mark).</summary>
    public static async Task<(string[] Header, List<string[]> Rows)> CsvAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "The CSV starts with the UTF-8 byte-order mark.");
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        using var reader = Sep.Reader(o => o with { HasHeader = true, Unescape = true, CultureInfo = CultureInfo.InvariantCulture }).FromText(text);
        var header = reader.Header.ColNames.ToArray();
        var rows = new List<string[]>();
        foreach (var row in reader)
        {
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = row[i].ToString();
            }

            rows.Add(cells);
        }

        return (header, rows);
    }

    /// <summary>The text number format (<c>@</c>, built-in id 49): editing the cell in Excel keeps it text.</summary>
    public static bool HasTextFormat(IXLCell cell) => cell.Style.NumberFormat.NumberFormatId == 49 || cell.Style.NumberFormat.Format == "@";

    public static string[] HeaderOf(IXLWorksheet sheet) =>
        sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToArray();

    public static async Task<T> WithSystemDbAsync<T>(PortalAppFactory factory, Func<IPortalDb, Task<T>> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System);
        return await action(db);
    }

    public static Task<List<AuditEntry>> ExportAuditAsync(PortalAppFactory factory, long afterId) =>
        WithSystemDbAsync(factory, db => db.AuditEntries.AsNoTracking().Where(a => a.Id > afterId && a.Action == AuditActions.Exported).OrderBy(a => a.Id).ToListAsync());

    public static async Task<long> LastAuditIdAsync(PortalAppFactory factory) =>
        await WithSystemDbAsync(factory, db => db.AuditEntries.MaxAsync(a => (long?)a.Id)) ?? 0;

    public static Task<int> PlatformIdAsync(PortalAppFactory factory, string code) =>
        WithSystemDbAsync(factory, db => db.Platforms.Where(p => p.Code == code).Select(p => p.Id).SingleAsync());
}
