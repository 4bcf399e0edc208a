using System.Net;
using System.Security.Cryptography;
using System.Text;
using FinancePortal.Application.Domain;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.ApiTokens;

/// <summary>Idempotency-Key on create and sign: a retried call replays the first answer instead of filing or signing twice.</summary>
public sealed class ApiIdempotencyTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    private Task<int> UploadsAsync(string period) => portal.InDbAsync(db => db.LoanSubmissions.IgnoreQueryFilters()
        .CountAsync(s => s.Period == period && s.Platform!.Code == "JDBT"));

    [Fact]
    public async Task The_same_key_from_the_same_token_replays_the_first_upload_and_files_once()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "retrying job")).Secret);
        var before = await UploadsAsync("2023-10");
        var key = Guid.NewGuid().ToString();

        var first = await client.UploadAsync("2023-10", TapeFiles.Csv("JDBT", "2023-10", 5), idempotencyKey: key);
        var again = await client.UploadAsync("2023-10", TapeFiles.Csv("JDBT", "2023-10", 5), idempotencyKey: key);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, again.StatusCode));
        var (a, b) = (await first.JsonAsync(), await again.JsonAsync());
        Assert.Equal(a.Id(), b.Id());
        Assert.Equal(a.ToString(), b.ToString());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal("true", again.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(before + 1, await UploadsAsync("2023-10"));

        var other = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "another job")).Secret);
        var third = await other.UploadAsync("2023-10", TapeFiles.Csv("JDBT", "2023-10", 5), idempotencyKey: key);
        Assert.NotEqual(a.Id(), (await third.JsonAsync()).Id());
        Assert.Equal(before + 2, await UploadsAsync("2023-10"));
    }

    [Fact]
    public async Task The_same_key_on_sign_replays_the_receipt_and_signs_once()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "signing job")).Secret);
        var id = (await (await client.UploadAsync("2023-09", TapeFiles.Csv("JDBT", "2023-09", 5))).JsonAsync()).Id();
        var key = Guid.NewGuid().ToString();

        var first = await client.SignAsync(id, idempotencyKey: key);
        var again = await client.SignAsync(id, idempotencyKey: key);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal((await first.JsonAsync()).GetProperty("confirmationNumber").GetString(), (await again.JsonAsync()).GetProperty("confirmationNumber").GetString());
        Assert.Equal("true", again.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(1, await portal.InDbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "SubmissionSigned" && a.EntityId == id.ToString())));

        // Without the key, signing again is refused: the submission is already signed.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SignAsync(id)).StatusCode);
    }

    [Fact]
    public async Task A_failed_call_keeps_no_key_so_the_retry_runs()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "fixing job")).Secret);
        var key = Guid.NewGuid().ToString();

        var wrong = await client.UploadAsync("2023-08", TapeFiles.Csv("JDBT", "2023-08", 3), "text/plain", idempotencyKey: key);
        var right = await client.UploadAsync("2023-08", TapeFiles.Csv("JDBT", "2023-08", 3), idempotencyKey: key);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, right.StatusCode);
        Assert.False(right.Headers.Contains("Idempotency-Replayed"));
    }

    [Fact]
    public async Task A_key_used_for_another_call_is_422_and_a_key_still_running_is_409()
    {
        var token = await portal.CreateTokenAsync(DemoUsers.Operator, "confused job");
        var client = portal.Bearer(token.Secret);
        var key = Guid.NewGuid().ToString();
        var id = (await (await client.UploadAsync("2023-07", TapeFiles.Csv("JDBT", "2023-07", 3), idempotencyKey: key)).JsonAsync()).Id();

        var reused = await client.SignAsync(id, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("idempotency-key-reused", await reused.CodeAsync());

        var running = Guid.NewGuid().ToString();
        await portal.InDbAsync(async db =>
        {
            db.Set<ApiIdempotencyKey>().Add(new ApiIdempotencyKey
            {
                Caller = "token:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Secret))), Key = running,
                Operation = $"POST /api/v1/submissions/{id}/sign", CreatedUtc = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        var busy = await client.SignAsync(id, idempotencyKey: running);
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Equal("idempotency-in-progress", await busy.CodeAsync());

        var bad = await client.SignAsync(id, idempotencyKey: "has spaces in it");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task After_24_hours_the_key_files_again()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "daily job")).Secret);
        var key = Guid.NewGuid().ToString();
        var first = (await (await client.UploadAsync("2023-06", TapeFiles.Csv("JDBT", "2023-06", 3), idempotencyKey: key)).JsonAsync()).Id();

        await portal.InDbAsync(db => db.Set<ApiIdempotencyKey>().Where(k => k.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.CreatedUtc, DateTime.UtcNow.AddHours(-25))));
        var again = await client.UploadAsync("2023-06", TapeFiles.Csv("JDBT", "2023-06", 3), idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.NotEqual(first, (await again.JsonAsync()).Id());
        Assert.False(again.Headers.Contains("Idempotency-Replayed"));
    }
}
