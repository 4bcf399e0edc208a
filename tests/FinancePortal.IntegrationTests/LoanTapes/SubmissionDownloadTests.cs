using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.IntegrationTests.Exports;
using FinancePortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.LoanTapes;

/// <summary>The error report and the original file over HTTP: content, formula safety and scope.</summary>
public class SubmissionDownloadTests : IAsyncLifetime
{
    private const string HostileLoanId = "+cmd|' /C calc'!A0";

    private readonly PortalAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private async Task<(long Id, byte[] File)> UploadAsync()
    {
        var csv = TapeFiles.Csv("JDBT", "2024-10", 6, i => i switch
        {
            2 => [("loan_id", HostileLoanId), ("borrower_ref", "=cmd|' /C calc'!A0"), ("status", "LATE")],
            4 => [("term_months", "61")],
            _ => [],
        });
        var bytes = csv.ToArray();
        await using var scope = await _factory.ActAsAsync(DemoUsers.Operator);
        var service = scope.ServiceProvider.GetRequiredService<SubmissionService>();
        var id = (await service.SubmitAsync("2024-10", "jdbt-2024-10.csv", new MemoryStream(bytes))).Id;
        return (id, bytes);
    }

    [Fact]
    public async Task The_error_report_lists_every_finding_as_text_never_as_a_formula_and_is_audited_under_the_platform()
    {
        var (id, _) = await UploadAsync();
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(DemoUsers.Operator);
        var before = await ExportTestKit.LastAuditIdAsync(_factory);

        var response = await client.GetAsync($"/submissions/{id}/errors.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        var sheet = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var rows = sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToArray()).ToList();
        Assert.Equal(["Edit code", "Blocking", "Row", "Loan id", "Column", "Value", "Message"], rows[0]);
        var findings = rows.Skip(1).ToList();
        Assert.Equal(["V10", "V14"], findings.Select(f => f[0]).Order().ToArray());
        Assert.Equal(HostileLoanId, findings.Single(f => f[0] == "V14")[3]);
        Assert.Empty(sheet.Descendants<CellFormula>());
        Assert.All(sheet.Descendants<Cell>().Where(c => c.DataType?.Value is not null && c.DataType.Value != CellValues.Number),
            c => Assert.Equal(CellValues.InlineString, c.DataType!.Value));

        var audit = Assert.Single(await ExportTestKit.ExportAuditAsync(_factory, before));
        Assert.Equal((nameof(Application.Domain.LoanSubmission), id.ToString(System.Globalization.CultureInfo.InvariantCulture)), (audit.EntityType, audit.EntityId));
        Assert.Equal(await ExportTestKit.PlatformIdAsync(_factory, "JDBT"), audit.PlatformId);
    }

    [Fact]
    public async Task The_original_file_downloads_byte_for_byte_and_only_inside_the_scope()
    {
        var (id, bytes) = await UploadAsync();
        var own = _factory.CreatePortalClient();
        await own.SignInAsync(DemoUsers.Operator);
        Assert.Equal(bytes, await own.GetByteArrayAsync($"/submissions/{id}/file"));

        var other = _factory.CreatePortalClient();
        await other.SignInAsync(DemoUsers.OperatorHbxy);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/submissions/{id}/file")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/submissions/{id}/errors.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/submissions/{id}")).StatusCode);

        var regulator = _factory.CreatePortalClient();
        await regulator.SignInAsync(DemoUsers.RiskOfficer);
        Assert.Equal(bytes, await regulator.GetByteArrayAsync($"/submissions/{id}/file"));
    }
}
