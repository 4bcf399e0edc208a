using System.Net;
using System.Security.Cryptography;
using ClosedXML.Excel;
using FinancePortal.Application.Features.Reports;
using FinancePortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Reports;

/// <summary>GET /reports/{id}/file: the stored workbook for analysts and risk officers, nobody else; 404 for an unknown id.</summary>
public class ReportDownloadTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task The_stored_workbook_downloads_for_report_builders_only()
    {
        GeneratedReportItem item;
        await using (var scope = await _factory.ActAsAsync(DemoUsers.Analyst))
        {
            item = await scope.ServiceProvider.GetRequiredService<ReportService>().GenerateAsync(new ReportRequest("2026-10"));
        }

        var analyst = _factory.CreatePortalClient();
        await analyst.SignInAsync(DemoUsers.Analyst);
        var response = await analyst.GetAsync($"/reports/{item.Id}/file");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(item.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        using (var workbook = new XLWorkbook(new MemoryStream(bytes)))
        {
            Assert.Equal(ReportService.SheetNames, workbook.Worksheets.Select(w => w.Name).ToArray());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"/reports/{item.Id + 1000}/file")).StatusCode);

        var risk = _factory.CreatePortalClient();
        await risk.SignInAsync(DemoUsers.RiskOfficer);
        Assert.Equal(bytes, await risk.GetByteArrayAsync($"/reports/{item.Id}/file"));

        foreach (var user in new[] { DemoUsers.Operator, DemoUsers.Reviewer, DemoUsers.Approver, DemoUsers.Admin })
        {
            var other = _factory.CreatePortalClient();
            await other.SignInAsync(user);
            var denied = await other.GetAsync($"/reports/{item.Id}/file");
            Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
            Assert.DoesNotContain("spreadsheetml", denied.Content.Headers.ContentType?.MediaType ?? "");
        }
    }
}
