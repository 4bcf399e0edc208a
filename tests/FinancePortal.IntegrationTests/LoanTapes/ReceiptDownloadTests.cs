using System.Net;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.LoanTapes;

/// <summary>The filing receipt's download over HTTP: one self-contained HTML file in the reader's language.</summary>
public class ReceiptDownloadTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private async Task<(long Id, SignedVersion Signed)> SignAsync(string fileName)
    {
        await using var scope = await _factory.ActAsAsync(DemoUsers.Operator);
        var service = scope.ServiceProvider.GetRequiredService<SubmissionService>();
        var id = (await service.SubmitAsync("2024-10", fileName, TapeFiles.Csv("JDBT", "2024-10", 12))).Id;
        return (id, await service.SignAndIssueReceiptAsync(id, "Sun Hao", true, (await service.GetAsync(id))!.ConcurrencyStamp));
    }

    [Fact]
    public async Task The_receipt_downloads_as_an_html_file_with_the_confirmation_number_and_the_file_name_encoded()
    {
        var (id, signed) = await SignAsync("<img src=x onerror=alert(1)>.csv");
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(DemoUsers.Operator);

        var response = await client.GetAsync($"/submissions/{id}/receipt.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("receipt-JDBT-2024-10-v1.html", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains(signed.ConfirmationNumber, html);
        Assert.Contains("Filing receipt", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;.csv", html);
    }

    [Fact]
    public async Task The_receipt_downloads_in_Chinese_for_a_Chinese_reader()
    {
        var (id, signed) = await SignAsync("tape.csv");
        var client = _factory.CreatePortalClient();
        await client.SignInAsync(DemoUsers.Operator);
        await client.GetAsync("/culture/set?culture=zh-CN&redirectUri=%2F");

        var html = await client.GetStringAsync($"/submissions/{id}/receipt.html");

        Assert.Contains("<html lang=\"zh-CN\">", html);
        Assert.Contains("报送回执", html);
        Assert.Contains("确认编号", html);
        Assert.Contains(signed.ConfirmationNumber, html);
    }
}
