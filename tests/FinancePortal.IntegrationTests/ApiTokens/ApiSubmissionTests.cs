using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using FinancePortal.Application.Domain;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.ApiTokens;

/// <summary>
/// Issue 19 item 2: a batch job files a month with its token: upload (streamed body), poll, findings, error report,
/// original, confirm, sign → receipt. Each test files its own month of JDBT so tests do not depend on each other.
/// </summary>
public sealed class ApiSubmissionTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    [Fact]
    public async Task An_operator_token_files_a_clean_tape_polls_it_and_signs_it_for_a_receipt_all_audited_under_the_tokens_name()
    {
        var token = await portal.CreateTokenAsync(DemoUsers.Operator, "nightly filing");
        var client = portal.Bearer(token.Secret);
        var bytes = TapeFiles.Csv("JDBT", "2024-03", 25).ToArray();

        var created = await client.UploadAsync("2024-03", new MemoryStream(bytes), fileName: "jdbt-2024-03.csv");

        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var body = await created.JsonAsync();
        var id = body.Id();
        Assert.Equal($"/api/v1/submissions/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("ready", body.Status());

        var status = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/submissions/{id}");
        Assert.Equal(("ready", "JDBT", "2024-03", "jdbt-2024-03.csv"), (status.Status(), status.GetProperty("platform").GetString(),
            status.GetProperty("period").GetString(), status.GetProperty("fileName").GetString()));
        Assert.Equal((25, 25, 0, 0), (status.GetProperty("counts").GetProperty("rows").GetInt32(), status.GetProperty("counts").GetProperty("validRows").GetInt32(),
            status.GetProperty("counts").GetProperty("blocking").GetInt32(), status.GetProperty("counts").GetProperty("warnings").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("version").ValueKind);
        Assert.Equal($"/api/v1/submissions/{id}/sign", status.GetProperty("links").GetProperty("sign").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("links").GetProperty("receipt").ValueKind);

        var signed = await client.SignAsync(id, "Sun Hao");

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var receipt = await signed.JsonAsync();
        var confirmation = receipt.GetProperty("confirmationNumber").GetString();
        Assert.False(string.IsNullOrEmpty(confirmation));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)), receipt.GetProperty("fileSha256").GetString(), ignoreCase: true);
        Assert.Equal((id, "Sun Hao", DemoUsers.Operator, 25), (receipt.GetProperty("submissionId").GetInt64(), receipt.GetProperty("attestedName").GetString(),
            receipt.GetProperty("signerUserName").GetString(), receipt.GetProperty("counts").GetProperty("rows").GetInt32()));
        var version = receipt.GetProperty("version").GetInt32();
        Assert.True(version >= 1);

        status = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/submissions/{id}");
        Assert.Equal(("signed", version, confirmation), (status.Status(), status.GetProperty("version").GetInt32(), status.GetProperty("confirmationNumber").GetString()));
        var again = await client.GetFromJsonAsync<System.Text.Json.JsonElement>(status.GetProperty("links").GetProperty("receipt").GetString());
        Assert.Equal(confirmation, again.GetProperty("confirmationNumber").GetString());

        var audit = await portal.InDbAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(a => a.EntityId == id.ToString() && a.EntityType == nameof(LoanSubmission)).ToListAsync());
        Assert.Contains(audit, a => a.Action == "SubmissionUploaded" && a.ApiToken == "nightly filing" && a.Actor == DemoUsers.Operator);
        Assert.Contains(audit, a => a.Action == "SubmissionSigned" && a.ApiToken == "nightly filing");
        var calls = await portal.InDbAsync(db => db.AuditEntries.IgnoreQueryFilters()
            .Where(a => a.Action == AuditActions.ApiCall && a.ApiToken == "nightly filing").Select(a => a.Summary).ToListAsync());
        Assert.Contains("POST /api/v1/filings/2024-03/submissions?fileName=jdbt-2024-03.csv → 202", calls);
        Assert.Contains($"POST /api/v1/submissions/{id}/sign → 200", calls);
    }

    [Fact]
    public async Task A_month_signed_over_the_API_shows_in_the_regulators_grid()
    {
        var filer = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "grid filer")).Secret);
        var id = (await (await filer.UploadAsync("2024-11", TapeFiles.Csv("JDBT", "2024-11", 6))).JsonAsync()).Id();
        Assert.Equal(HttpStatusCode.OK, (await filer.SignAsync(id)).StatusCode);
        var regulator = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Analyst, "grid reader")).Secret);

        var grid = await regulator.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/filings?from=2024-11&to=2024-11");

        var month = grid.EnumerateArray().Single(p => p.GetProperty("platform").GetString() == "JDBT").GetProperty("months").EnumerateArray().Single();
        Assert.Equal(id, month.GetProperty("latestSubmissionId").GetInt64());
        Assert.True(month.GetProperty("versions").GetInt32() >= 1);
        Assert.Contains(month.GetProperty("status").GetString(), new[] { "on-time", "late" });
    }

    [Fact]
    public async Task Warnings_are_confirmed_before_signing()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "warnings job")).Secret);
        var body = await (await client.UploadAsync("2024-04", ApiFiling.WarningTape("2024-04"))).JsonAsync();
        var id = body.Id();
        Assert.Equal("warnings", body.Status());
        var edit = Assert.Single(body.GetProperty("edits").EnumerateArray());
        Assert.Equal(("Q02", "warning", 1), (edit.GetProperty("code").GetString(), edit.GetProperty("severity").GetString(), edit.GetProperty("count").GetInt32()));
        Assert.Equal($"/api/v1/submissions/{id}/confirm", body.GetProperty("links").GetProperty("confirm").GetString());

        var early = await client.SignAsync(id);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal("validation", await early.CodeAsync());
        Assert.Contains("Warnings to confirm", (await early.JsonAsync()).GetProperty("detail").GetString());

        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/submissions/{id}/confirm");
        stale.Headers.TryAddWithoutValidation("If-Match", $"\"{Guid.NewGuid()}\"");
        var conflict = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("conflict", await conflict.CodeAsync());
        Assert.Equal("warnings", (await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/submissions/{id}")).Status());

        var confirmed = await client.PostAsync($"/api/v1/submissions/{id}/confirm", null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var ready = await confirmed.JsonAsync();
        Assert.Equal(("ready", DemoUsers.Operator), (ready.Status(), ready.GetProperty("warningsConfirmedBy").GetString()));

        var twice = await client.PostAsync($"/api/v1/submissions/{id}/confirm", null);
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal("validation", await twice.CodeAsync());

        var signed = await client.SignAsync(id);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal((1, DemoUsers.Operator), ((await signed.JsonAsync()).GetProperty("counts").GetProperty("warnings").GetInt32(),
            (await signed.JsonAsync()).GetProperty("warningsConfirmedBy").GetString()));
    }

    [Fact]
    public async Task Findings_are_paged_and_filtered_by_edit_code_and_row_and_a_tape_with_errors_cannot_be_signed()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "errors job")).Secret);
        var body = await (await client.UploadAsync("2024-05", ApiFiling.ErrorTape("2024-05"))).JsonAsync();
        var id = body.Id();
        Assert.Equal("errors", body.Status());
        Assert.Equal(new[] { "V14", "V15", "V19" }, body.GetProperty("edits").EnumerateArray().Select(e => e.GetProperty("code").GetString()!).ToArray());
        Assert.Equal(3, body.GetProperty("counts").GetProperty("blocking").GetInt32());

        var all = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/submissions/{id}/findings");
        Assert.Equal((3, 0, 100), (all.GetProperty("total").GetInt32(), all.GetProperty("page").GetInt32(), all.GetProperty("pageSize").GetInt32()));
        Assert.Equal([3L, 7L, 9L], all.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("row").GetInt64()).ToArray());

        var byCode = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/submissions/{id}/findings?code=v14");
        var finding = Assert.Single(byCode.GetProperty("items").EnumerateArray());
        Assert.Equal(("V14", "error", 3L, "T000003", "status", "DEFALTED"), (finding.GetProperty("code").GetString(), finding.GetProperty("severity").GetString(),
            finding.GetProperty("row").GetInt64(), finding.GetProperty("loanId").GetString(), finding.GetProperty("column").GetString(), finding.GetProperty("value").GetString()));

        var byRow = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/submissions/{id}/findings?row=7");
        Assert.Equal("V19", Assert.Single(byRow.GetProperty("items").EnumerateArray()).GetProperty("code").GetString());
        var none = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/submissions/{id}/findings?code=V15&row=7");
        Assert.Equal(0, none.GetProperty("total").GetInt32());

        var second = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/submissions/{id}/findings?page=1&pageSize=2");
        Assert.Equal((3, 9L), (second.GetProperty("total").GetInt32(), Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("row").GetInt64()));
        var big = await client.GetAsync($"/api/v1/submissions/{id}/findings?pageSize=1001");
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Equal("validation", await big.CodeAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/submissions/{id}/findings?pageSize=1000")).StatusCode);
        foreach (var query in new[] { "row=abc", "page=-1", "pageSize=0", "page=x" })
        {
            var refusedQuery = await client.GetAsync($"/api/v1/submissions/{id}/findings?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, refusedQuery.StatusCode);
            Assert.Equal("validation", await refusedQuery.CodeAsync());
        }

        var refused = await client.SignAsync(id);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Errors to fix", (await refused.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_error_report_comes_as_CSV_and_XLSX_and_the_original_file_as_sent()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "reports job")).Secret);
        var bytes = ApiFiling.ErrorTape("2024-06").ToArray();
        var id = (await (await client.UploadAsync("2024-06", new MemoryStream(bytes))).JsonAsync()).Id();

        var csv = await client.GetAsync($"/api/v1/submissions/{id}/errors.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Contains("V14", text);
        Assert.Contains("DEFALTED", text);
        Assert.Contains("V19", text);

        var xlsx = await client.GetAsync($"/api/v1/submissions/{id}/errors.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(ApiFiling.Xlsx, xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PK"u8.ToArray(), (await xlsx.Content.ReadAsByteArrayAsync())[..2]);

        var file = await client.GetAsync($"/api/v1/submissions/{id}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("text/csv", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await file.Content.ReadAsByteArrayAsync());

        var receipt = await client.GetAsync($"/api/v1/submissions/{id}/receipt");
        Assert.Equal(HttpStatusCode.NotFound, receipt.StatusCode);
        Assert.Equal("not-found", await receipt.CodeAsync());
    }

    [Theory]
    [InlineData("text/plain", "tape.csv")]
    [InlineData("application/json", "tape.csv")]
    [InlineData("application/octet-stream", "tape.txt")]
    [InlineData("application/octet-stream", null)]
    [InlineData("text/csv", "tape.xlsx")]
    [InlineData("multipart/form-data; boundary=x", "tape.csv")]
    public async Task A_body_that_is_not_a_loan_tape_type_is_415(string contentType, string? fileName)
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "wrong type job")).Secret);

        var response = await client.UploadAsync("2024-07", TapeFiles.Csv("JDBT", "2024-07", 3), contentType, fileName);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported-type", await response.CodeAsync());
        Assert.Contains("text/csv", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("application/octet-stream", "tape.csv")]
    [InlineData("text/csv; charset=utf-8", "tape.csv")]
    [InlineData("text/csv", null)]
    public async Task A_CSV_comes_as_text_csv_or_as_octet_stream_with_a_csv_name(string contentType, string? fileName)
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "octet job")).Secret);

        var response = await client.UploadAsync("2024-07", TapeFiles.Csv("JDBT", "2024-07", 3), contentType, fileName);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(fileName ?? "loan-tape-2024-07.csv", (await response.JsonAsync()).GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task An_XLSX_tape_is_filed_with_its_media_type()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "xlsx job")).Secret);
        var path = Path.Combine(Path.GetTempPath(), $"api-{Guid.NewGuid():N}.xlsx");
        ExcelSavedWorkbook.Write(path, new[] { TapeFiles.Header }.Concat(Enumerable.Range(1, 4).Select(i => TapeFiles.Row("JDBT", "2024-08", i)))
            .Select(line => (IReadOnlyList<ExcelSavedWorkbook.Cell>)line.Split(',').Select(c => ExcelSavedWorkbook.Cell.Of(c)).ToList()));
        var bytes = await File.ReadAllBytesAsync(path);
        File.Delete(path);

        var response = await client.UploadAsync("2024-08", new MemoryStream(bytes), ApiFiling.Xlsx, "tape.xlsx");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(("ready", 4), (body.Status(), body.GetProperty("counts").GetProperty("rows").GetInt32()));
    }

    [Fact]
    public async Task A_month_not_begun_or_a_bad_period_is_400_with_the_edit_message()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "period job")).Secret);

        var future = await client.UploadAsync("2099-01", TapeFiles.Csv("JDBT", "2099-01", 3));
        var bad = await client.UploadAsync("2024-13", TapeFiles.Csv("JDBT", "2024-12", 3));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (future.StatusCode, bad.StatusCode));
        Assert.Contains("has not started yet", (await future.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal("validation", await bad.CodeAsync());
    }

    [Fact]
    public async Task Signing_with_a_stale_If_Match_stamp_is_409_and_with_the_current_one_succeeds()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "stale job")).Secret);
        var body = await (await client.UploadAsync("2024-09", TapeFiles.Csv("JDBT", "2024-09", 5))).JsonAsync();
        var id = body.Id();
        var stamp = body.GetProperty("stamp").GetString();

        var stale = await client.SignAsync(id, ifMatch: $"\"{Guid.NewGuid()}\"");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("conflict", await stale.CodeAsync());

        var garbage = await client.SignAsync(id, ifMatch: "\"yesterday\"");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.SignAsync(id, ifMatch: $"\"{stamp}\"")).StatusCode);
        var twice = await client.SignAsync(id, ifMatch: $"\"{stamp}\"");
        Assert.True(twice.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest, $"A second signing gave {twice.StatusCode}.");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SignAsync(id)).StatusCode);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("Sun Hao", false)]
    public async Task Signing_needs_the_name_and_the_attestation(string name, bool confirm)
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "attest job")).Secret);
        var id = (await (await client.UploadAsync("2024-02", TapeFiles.Csv("JDBT", "2024-02", 4))).JsonAsync()).Id();

        var response = await client.SignAsync(id, name, confirm);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation", await response.CodeAsync());
        Assert.Equal("ready", (await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/submissions/{id}")).Status());
    }

    [Fact]
    public async Task Signing_takes_JSON_only()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "form job")).Secret);
        var id = await portal.SignedSubmissionOfAsync("JDBT");

        var form = await client.PostAsync($"/api/v1/submissions/{id}/sign", new FormUrlEncodedContent(new Dictionary<string, string> { ["attestedName"] = "Sun Hao" }));
        var broken = await client.PostAsync($"/api/v1/submissions/{id}/sign", new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal("unsupported-type", await form.CodeAsync());
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }

    [Fact]
    public async Task An_analyst_token_reads_submissions_in_scope_but_may_not_file_confirm_or_sign()
    {
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Analyst, "regulator reader")).Secret);
        var id = await portal.SignedSubmissionOfAsync("JDBT");

        var upload = await client.UploadAsync("2024-01", TapeFiles.Csv("JDBT", "2024-01", 3));
        var sign = await client.SignAsync(id);
        var confirm = await client.PostAsync($"/api/v1/submissions/{id}/confirm", null);

        foreach (var denied in new[] { upload, sign, confirm })
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Equal("forbidden", await denied.CodeAsync());
        }

        var status = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/submissions/{id}");
        Assert.Equal(("signed", "JDBT"), (status.Status(), status.GetProperty("platform").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/submissions/{id}/receipt")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "/findings")]
    [InlineData("GET", "/errors.xlsx")]
    [InlineData("GET", "/errors.csv")]
    [InlineData("GET", "/file")]
    [InlineData("GET", "/receipt")]
    [InlineData("POST", "/confirm")]
    [InlineData("POST", "/sign")]
    public async Task Without_a_credential_every_submission_endpoint_is_401(string method, string suffix)
    {
        var id = await portal.SignedSubmissionOfAsync("JDBT");
        var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/submissions/{id}{suffix}");

        var response = await portal.CreatePortalClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("unauthenticated", await response.CodeAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.CreatePortalClient().UploadAsync("2024-01", TapeFiles.Csv("JDBT", "2024-01", 3))).StatusCode);
    }
}
