using System.Net;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.ApiTokens;

/// <summary>IDOR probes: another platform's submission is 404 on every endpoint, by token and by cookie, exactly as pages.</summary>
public sealed class ApiSubmissionScopeTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "" },
        { "GET", "/findings" },
        { "GET", "/findings?code=V14&row=3" },
        { "GET", "/errors.xlsx" },
        { "GET", "/errors.csv" },
        { "GET", "/file" },
        { "GET", "/receipt" },
        { "POST", "/confirm" },
        { "POST", "/sign" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_JDBT_token_gets_404_for_HBXYs_submission(string method, string suffix)
    {
        var hbxy = await portal.SignedSubmissionOfAsync("HBXY");
        var client = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "jdbt idor probe")).Secret);

        var response = await SendAsync(client, method, $"/api/v1/submissions/{hbxy}{suffix}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not-found", await response.CodeAsync());
        var own = await SendAsync(client, "GET", $"/api/v1/submissions/{await portal.SignedSubmissionOfAsync("JDBT")}{(method == "GET" ? suffix : "")}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task The_JDBT_operators_cookie_gets_404_for_HBXYs_submission(string method, string suffix)
    {
        var hbxy = await portal.SignedSubmissionOfAsync("HBXY");
        var client = portal.CreatePortalClient();
        await client.SignInAsync(DemoUsers.Operator);

        var response = await SendAsync(client, method, $"/api/v1/submissions/{hbxy}{suffix}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_HBXY_token_cannot_see_or_sign_a_JDBT_upload_and_nothing_of_it_changes()
    {
        var jdbt = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.Operator, "jdbt owner")).Secret);
        var hbxy = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.OperatorHbxy, "hbxy intruder")).Secret);
        var id = (await (await jdbt.UploadAsync("2023-12", TapeFiles.Csv("JDBT", "2023-12", 4))).JsonAsync()).Id();

        Assert.Equal(HttpStatusCode.NotFound, (await hbxy.GetAsync($"/api/v1/submissions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hbxy.SignAsync(id, "Intruder")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hbxy.GetAsync($"/api/v1/submissions/{id}/file")).StatusCode);

        Assert.Equal(SubmissionStatus.ReadyToSign, await portal.InDbAsync(db => db.LoanSubmissions.IgnoreQueryFilters().Where(s => s.Id == id).Select(s => s.Status).SingleAsync()));
        Assert.Equal("ready", (await (await jdbt.GetAsync($"/api/v1/submissions/{id}")).JsonAsync()).Status());
    }

    [Fact]
    public async Task An_HBXY_token_files_for_HBXY_whatever_the_file_claims()
    {
        var hbxy = portal.Bearer((await portal.CreateTokenAsync(DemoUsers.OperatorHbxy, "hbxy filer")).Secret);

        var body = await (await hbxy.UploadAsync("2023-11", TapeFiles.Csv("HBXY", "2023-11", 3))).JsonAsync();

        Assert.Equal("HBXY", body.GetProperty("platform").GetString());
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (path.EndsWith("/sign", StringComparison.Ordinal))
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(new { attestedName = "Intruder", confirm = true });
        }

        return client.SendAsync(request);
    }
}
