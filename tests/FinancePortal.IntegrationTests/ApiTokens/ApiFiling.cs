using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FinancePortal.Application.Domain;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.ApiTokens;

/// <summary>Calls of the filing API as a batch job makes them: the file streamed in the body, JSON answers.</summary>
public static class ApiFiling
{
    public const string Csv = "text/csv";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string period, Stream file, string contentType = Csv, string? fileName = "tape.csv",
        string? idempotencyKey = null)
    {
        var url = $"/api/v1/filings/{period}/submissions" + (fileName is null ? "" : $"?fileName={Uri.EscapeDataString(fileName)}");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StreamContent(file) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SignAsync(this HttpClient client, long id, string attestedName = "Sun Hao", bool confirm = true, string? ifMatch = null,
        string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/submissions/{id}/sign") { Content = JsonContent.Create(new { attestedName, confirm }) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        // Buffered and parsed from text: a test may read the body more than once.
        await response.Content.LoadIntoBufferAsync();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static async Task<string> CodeAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.JsonAsync()).GetProperty("code").GetString()!;
    }

    public static long Id(this JsonElement submission) => submission.GetProperty("id").GetInt64();

    public static string Status(this JsonElement submission) => submission.GetProperty("status").GetString()!;

    /// <summary>A signed demo submission of <paramref name="platformCode"/> (for scope probes).</summary>
    public static Task<long> SignedSubmissionOfAsync(this ApiPortal portal, string platformCode) =>
        portal.InDbAsync(db => db.LoanSubmissions.IgnoreQueryFilters()
            .Where(s => s.Platform!.Code == platformCode && s.Status == SubmissionStatus.Signed).OrderByDescending(s => s.Id).Select(s => s.Id).FirstAsync());

    /// <summary>A tape with one Q02 warning (row 2).</summary>
    public static MemoryStream WarningTape(string period) => TapeFiles.Csv("JDBT", period, 10, i => i == 2 ? [("annual_rate_pct", "36")] : []);

    /// <summary>A tape with three blocking findings: V14 on row 3, V19 on row 7, V15 on row 9.</summary>
    public static MemoryStream ErrorTape(string period) => TapeFiles.Csv("JDBT", period, 40, i => i switch
    {
        3 => [("status", "DEFALTED")],
        7 => [("principal", "\"1,000.00\"")],
        9 => [("days_past_due", "12"), ("status", "CURRENT")],
        _ => [],
    });
}

/// <summary>A stream that does not know its length: the client sends it chunked, without Content-Length.</summary>
public sealed class UnknownLengthStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
