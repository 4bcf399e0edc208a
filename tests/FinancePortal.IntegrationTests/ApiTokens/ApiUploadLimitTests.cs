using System.Net;
using FinancePortal.Application;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.ApiTokens;

/// <summary>413: a tape over Uploads:MaxLoanTapeBytes is refused, declared or streamed, and nothing is stored.</summary>
public sealed class ApiUploadLimitTests : IAsyncLifetime
{
    private const long Limit = 2000;

    private readonly ApiPortal _portal = new()
    {
        ConfigureServices = services => services.PostConfigure<UploadOptions>(o => o.MaxLoanTapeBytes = Limit),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task A_tape_over_the_limit_is_413_whether_its_length_is_declared_or_not_and_nothing_is_stored()
    {
        var client = _portal.Bearer((await _portal.CreateTokenAsync(DemoUsers.Operator, "big job")).Secret);
        var before = await CountAsync();
        var big = TapeFiles.Csv("JDBT", "2024-10", 60).ToArray();
        Assert.True(big.Length > Limit);

        var declared = await client.UploadAsync("2024-10", new MemoryStream(big), fileName: "big.csv");
        var streamed = await client.UploadAsync("2024-10", new UnknownLengthStream(new MemoryStream(big)), fileName: "big.csv");

        foreach (var response in new[] { declared, streamed })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("too-large", await response.CodeAsync());
            Assert.Equal("\"big.csv\" is larger than the 2 KB limit for loan tapes.", (await response.JsonAsync()).GetProperty("detail").GetString());
        }

        Assert.Equal(before, await CountAsync());
        var small = await client.UploadAsync("2024-10", new UnknownLengthStream(TapeFiles.Csv("JDBT", "2024-10", 3)));
        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);
        Assert.Equal(before + 1, await CountAsync());
    }

    private Task<int> CountAsync() => _portal.InDbAsync(db => db.LoanSubmissions.IgnoreQueryFilters().CountAsync());
}

/// <summary>
/// Over real HTTP (Kestrel): the upload endpoint lifts the server's request-body limit (here 1 KB) for the portal's own
/// loan-tape limit, while every other endpoint keeps the server's.
/// </summary>
public sealed class ApiUploadOverKestrelTests : IAsyncLifetime
{
    private readonly ApiPortal _portal = new()
    {
        ConfigureServices = services => services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = 1024),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task The_upload_endpoint_takes_a_body_over_the_servers_limit_and_other_endpoints_do_not()
    {
        var address = _portal.StartKestrel();
        var token = await _portal.CreateTokenAsync(DemoUsers.Operator, "kestrel job");
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Secret);
        var tape = TapeFiles.Csv("JDBT", "2024-10", 40);
        Assert.True(tape.Length > 4096);

        var declared = await client.UploadAsync("2024-10", tape);
        var chunked = await client.UploadAsync("2024-10", new UnknownLengthStream(TapeFiles.Csv("JDBT", "2024-10", 40)));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (declared.StatusCode, chunked.StatusCode));
        var id = (await declared.JsonAsync()).Id();
        var sign = await client.PostAsync($"/api/v1/submissions/{id}/sign",
            System.Net.Http.Json.JsonContent.Create(new { attestedName = new string('x', 2000), confirm = true }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sign.StatusCode);
    }
}
