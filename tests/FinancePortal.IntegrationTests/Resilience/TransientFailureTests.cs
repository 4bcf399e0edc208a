using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Resilience;

/// <summary>
/// The transactional paths (signing a tape, recording a supervisory action, drafting an application, the metrics job)
/// run through the execution strategy: with a RETRYING strategy (as SQL Server's EnableRetryOnFailure) a user-initiated
/// transaction outside the strategy would throw, and a commit that fails transiently is rolled back and retried whole,
/// without duplicate rows or audit entries.
/// </summary>
public class TransientFailureTests : IAsyncLifetime
{
    private readonly DatabaseOutage _outage = new();
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync(
        settings: new Dictionary<string, string?>
        {
            ["Database:SqliteRetryOnBusy"] = "true",
            ["Database:MaxRetryCount"] = "3",
            ["Database:MaxRetryDelay"] = "00:00:00.050",
        },
        configure: s => s.AddSingleton<IInterceptor>(_outage));

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<IPortalDb> SystemDbAsync()
    {
        var scope = _portal.As(UserContext.System);
        return await scope.Get<IPortalDbFactory>().CreateAsync();
    }

    [Fact]
    public async Task The_context_uses_a_retrying_strategy_in_this_configuration()
    {
        await using var db = await SystemDbAsync();
        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);
    }

    [Fact]
    public async Task Signing_retries_a_commit_that_failed_transiently_and_writes_the_rows_and_the_audit_entry_once()
    {
        long id;
        Guid stamp;
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            var service = op.Get<SubmissionService>();
            id = (await service.SubmitAsync("2024-10", "tape.csv", TapeFiles.Csv("JDBT", "2024-10", 25))).Id;
            stamp = (await service.GetAsync(id))!.ConcurrencyStamp;
        }

        _outage.FailCommits(1);
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            Assert.Equal(1, await op.Get<SubmissionService>().SignAsync(id, "Sun Hao", confirmed: true, stamp));
        }

        Assert.Equal(1, _outage.FailedCommits);
        await using var db = await SystemDbAsync();
        Assert.Equal(25, await db.LoanRecords.CountAsync(r => r.SubmissionId == id));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "SubmissionSigned" && a.EntityId == id.ToString()));
        Assert.Equal(1, await db.MetricsRebuildJobs.CountAsync(j => j.SubmissionId == id));
        Assert.Equal(SubmissionStatus.Signed, (await db.LoanSubmissions.SingleAsync(s => s.Id == id)).Status);

        // The metrics job's own transaction goes through the strategy too, and survives a failed commit.
        _outage.FailCommits(1);
        Assert.True(await _portal.Provider.GetRequiredService<MetricsJobRunner>().ProcessPendingAsync() >= 1);
        Assert.Equal(2, _outage.FailedCommits);
        Assert.NotNull((await db.MetricsRebuildJobs.SingleAsync(j => j.SubmissionId == id)).CompletedUtc);
    }

    [Fact]
    public async Task Recording_a_supervisory_action_and_drafting_an_application_survive_a_failed_commit_without_duplicates()
    {
        int platformId;
        await using (var db = await SystemDbAsync())
        {
            platformId = await db.Platforms.Where(p => p.Code == "JDBT").Select(p => p.Id).SingleAsync();
        }

        _outage.FailCommits(1);
        long actionId;
        await using (var risk = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            actionId = await risk.Get<AlertService>().RecordActionAsync(
                new NewSupervisoryAction(platformId, null, SupervisoryActionKind.Note, "Called the platform about late filings.", null));
        }

        Assert.Equal(1, _outage.FailedCommits);
        await using (var db = await SystemDbAsync())
        {
            Assert.Equal(1, await db.SupervisoryActions.CountAsync(a => a.Text == "Called the platform about late filings."));
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.EntityType == nameof(SupervisoryAction) && a.EntityId == actionId.ToString()));
        }

        // QFEN has no open application in the demo data; a draft is created in one transaction.
        _outage.FailCommits(1);
        await using (var op = await _portal.AsAsync(DemoUsers.OperatorQfen))
        {
            var service = op.Get<ApplicationService>();
            foreach (var open in (await service.GetQueueAsync(new ApplicationQuery { PageSize = 100 })).Items.Where(a => ApplicationWorkflow.IsOpen(a.State)))
            {
                await service.WithdrawAsync(open.Id, "Superseded by a new application.", (await service.GetAsync(open.Id))!.ConcurrencyStamp);
            }

            var draft = await service.CreateDraftAsync();
            Assert.Equal(ApplicationState.Draft, (await service.GetAsync(draft))!.State);
        }

        Assert.Equal(2, _outage.FailedCommits);
        await using (var db = await SystemDbAsync())
        {
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "ApplicationCreated" && a.Summary.Contains("QFEN")));
        }
    }

    [Fact]
    public async Task When_retries_are_exhausted_the_user_gets_the_database_unavailable_error_and_nothing_is_saved()
    {
        int platformId;
        await using (var db = await SystemDbAsync())
        {
            platformId = await db.Platforms.Where(p => p.Code == "JDBT").Select(p => p.Id).SingleAsync();
        }

        _outage.FailCommits(100);
        await using (var risk = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => risk.Get<AlertService>().RecordActionAsync(
                new NewSupervisoryAction(platformId, null, SupervisoryActionKind.Note, "This note never reaches the database.", null)));
            Assert.Equal(DatabaseUnavailableException.UserMessage, error.Message);
        }

        Assert.Equal(4, _outage.FailedCommits); // the first try and 3 retries
        _outage.FailCommits(0);
        await using var check = await SystemDbAsync();
        Assert.Equal(0, await check.SupervisoryActions.CountAsync(a => a.Text == "This note never reaches the database."));
    }
}
