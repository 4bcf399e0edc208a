using System.Net;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.TestSupport;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Resilience;

/// <summary>The database goes away (every connection open fails) and comes back.</summary>
public class DatabaseOutageTests : IAsyncLifetime
{
    private readonly DatabaseOutage _outage = new();
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync(configure: s => s.AddSingleton<IInterceptor>(_outage));

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Reads_and_saves_fail_with_the_database_unavailable_error_and_work_again_after_recovery()
    {
        await using (var risk = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            _outage.Down = true;
            var read = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => risk.Get<PlatformService>().GetPageAsync(new PlatformQuery()));
            Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(read.InnerException);
            await Assert.ThrowsAsync<DatabaseUnavailableException>(() => risk.Get<AlertService>().RecordActionAsync(
                new NewSupervisoryAction(1, null, SupervisoryActionKind.Note, "Written while the database is down.", null)));
        }

        Assert.True(_outage.RefusedOpens >= 2);
        _outage.Down = false;
        await using (var risk = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            Assert.True((await risk.Get<PlatformService>().GetPageAsync(new PlatformQuery())).TotalCount > 0);
            var platformId = (await risk.Get<PlatformService>().GetPageAsync(new PlatformQuery())).Items[0].Id;
            var id = await risk.Get<AlertService>().RecordActionAsync(
                new NewSupervisoryAction(platformId, null, SupervisoryActionKind.Note, "Written after the database came back.", null));
            Assert.True(id > 0);
        }
    }
}

/// <summary>The same outage seen over HTTP: /health says 503 Unhealthy, a sign-in post gets a clear 503 page, not a stack trace.</summary>
public class DatabaseOutageHttpTests : IAsyncLifetime
{
    private readonly DatabaseOutage _outage = new();
    private PortalAppFactory _factory = default!;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app = default!;

    public Task InitializeAsync()
    {
        _factory = new PortalAppFactory();
        _app = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IInterceptor>(_outage)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Health_turns_unhealthy_during_the_outage_and_healthy_after_it()
    {
        var client = _app.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(HealthEndpoint.Path)).StatusCode);

        _outage.Down = true;
        var down = await client.GetAsync(HealthEndpoint.Path);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Contains("\"database\":{\"status\":\"Unhealthy\"", await down.Content.ReadAsStringAsync());

        _outage.Down = false;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(HealthEndpoint.Path)).StatusCode);
    }

    [Fact]
    public async Task Signing_in_during_the_outage_answers_503_with_the_message_and_succeeds_after_recovery()
    {
        var client = _app.CreatePortalClient();
        var form = await client.GetStringAsync("/Account/Login"); // warm: the form itself needs no database
        Assert.Contains("__RequestVerificationToken", form);

        _outage.Down = true;
        var response = await client.PostSignInAsync(DemoUsers.Operator, DemoUsers.Password);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("your changes were not saved", body);
        Assert.DoesNotContain("SqliteException", body);
        Assert.DoesNotContain(" at ", body);
        Assert.NotNull(response.Headers.RetryAfter);

        _outage.Down = false;
        await client.SignInAsync(DemoUsers.Operator);
    }
}
