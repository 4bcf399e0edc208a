using System.Net;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Users;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Application.Features.Scorecards;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Authorization;

/// <summary>One portal with the entities of JDBT (operator@'s platform, in Beijing) and HBXY (another platform, in Zhejiang).</summary>
public sealed class IdorPortal : IAsyncLifetime
{
    public PortalAppFactory Factory { get; } = new();

    /// <summary>operator@'s own platform (Beijing): outside reviewer.gd's provinces.</summary>
    public DemoIds Jdbt { get; private set; } = default!;

    /// <summary>Another platform: outside operator@'s scope.</summary>
    public DemoIds Hbxy { get; private set; } = default!;

    public HttpClient Operator { get; private set; } = default!;

    public HttpClient ReviewerGuangdong { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Jdbt = await DemoIds.ArrangeAsync(Factory, "JDBT", alertPlatformCode: "QFEN", reportBy: DemoUsers.Analyst, operatorEmail: DemoUsers.Operator);
        Hbxy = await DemoIds.ArrangeAsync(Factory, "HBXY", alertPlatformCode: "QFEN", reportBy: DemoUsers.Analyst, operatorEmail: DemoUsers.OperatorHbxy);
        Operator = Factory.CreatePortalClient();
        await Operator.SignInAsync(DemoUsers.Operator);
        ReviewerGuangdong = Factory.CreatePortalClient();
        await ReviewerGuangdong.SignInAsync(DemoUsers.ReviewerGuangdong);
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>
/// Insecure direct object references: a user types or posts the id of an entity outside their data scope. Over HTTP
/// every page and download answers "not found" (or "access denied" when the role may not open the page at all), and
/// the answer holds nothing of the other platform. The application services, called directly with the same user,
/// return nothing or refuse — the scope is enforced in the data layer, not only in the UI.
/// </summary>
public class IdorProbeTests(IdorPortal portal) : IClassFixture<IdorPortal>
{
    public static TheoryData<string, string> OperatorProbes() => new()
    {
        // probe path, expected answer for another platform's id: "404" or "denied" (the role may not open the page)
        { "/platforms/{platform}", "404" },
        { "/applications/{application}", "404" },
        { "/applications/{decidedApplication}", "404" },
        { "/applications/{decidedApplication}/letter", "404" },
        { "/documents/{document}", "404" },
        { "/submissions/{submission}", "404" },
        { "/submissions/{submission}/file", "404" },
        { "/submissions/{submission}/errors.xlsx", "404" },
        { "/submissions/{submission}/receipt", "404" },
        { "/submissions/{submission}/receipt.html", "404" },
        { "/monitoring/platforms/{platform}", "404" },
        { "/rectifications/{rectification}", "404" },
        { "/rectifications/attachments/{rectificationAttachment}", "404" },
        { "/alerts/{alert}", "denied" },
        { "/reports/{report}/file", "denied" },
        { "/admin/platforms/{platform}/edit", "denied" },
    };

    public static TheoryData<string> ReviewerGuangdongProbes() =>
    [
        "/platforms/{platform}",
        "/applications/{application}",
        "/applications/{decidedApplication}/letter",
        "/documents/{document}",
        "/submissions/{submission}",
        "/submissions/{submission}/file",
        "/submissions/{submission}/errors.xlsx",
        "/submissions/{submission}/receipt",
        "/submissions/{submission}/receipt.html",
    ];

    [Theory]
    [MemberData(nameof(OperatorProbes))]
    public async Task Operator_requesting_another_platforms_entity_by_id_gets_nothing_of_it(string probe, string expected)
    {
        // Control: the same kind of entity of the operator's own platform opens (unless the role may not open the page).
        var own = await portal.Operator.GetAsync(portal.Jdbt.Resolve(probe));
        Assert.Equal(expected == "404" ? HttpStatusCode.OK : HttpStatusCode.Redirect, own.StatusCode);

        var path = portal.Hbxy.Resolve(probe);
        var response = await portal.Operator.GetAsync(path);
        await AssertRefusedAsync(response, path, expected, portal.Hbxy);
    }

    [Theory]
    [MemberData(nameof(ReviewerGuangdongProbes))]
    public async Task Guangdong_reviewer_requesting_a_Beijing_platforms_entity_by_id_gets_nothing_of_it(string probe)
    {
        var path = portal.Jdbt.Resolve(probe);
        var response = await portal.ReviewerGuangdong.GetAsync(path);
        await AssertRefusedAsync(response, path, "404", portal.Jdbt);
    }

    [Fact]
    public async Task Operator_calling_the_services_with_another_platforms_ids_reads_nothing_and_changes_nothing()
    {
        var h = portal.Hbxy;
        var before = await SnapshotAsync(h);
        await using var scope = await portal.Factory.ActAsAsync(DemoUsers.Operator);
        T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();
        var stamp = Guid.Empty;

        // Reads: nothing comes back.
        Assert.Null(await Get<PlatformService>().GetAsync(h.Platform));
        Assert.DoesNotContain(await Get<PlatformService>().GetOptionsAsync(), o => o.Id == h.Platform);
        Assert.Null(await Get<ApplicationService>().GetAsync(h.Application));
        Assert.Null(await Get<ApplicationService>().GetAsync(h.DecidedApplication));
        Assert.Equal(0, (await Get<ApplicationService>().GetQueueAsync(new ApplicationQuery { PlatformId = h.Platform })).TotalCount);
        Assert.Equal(0, (await Get<ApplicationService>().GetQueueAsync(new ApplicationQuery { Search = h.PlatformCode })).TotalCount);
        Assert.Null(await Get<DocumentService>().DownloadAsync(h.Document));
        Assert.Null(await Get<SubmissionService>().GetAsync(h.Submission));
        Assert.Equal(0, (await Get<SubmissionService>().GetFindingsAsync(h.Submission, new FindingQuery())).TotalCount);
        await Assert.ThrowsAsync<NotFoundException>(() => Get<GridExports>().FindingsAsync(h.Submission, new FindingQuery(), "", CancellationToken.None));
        Assert.Null(await Get<SubmissionService>().OpenOriginalAsync(h.Submission));
        Assert.Equal(0, (await Get<SubmissionService>().GetPageAsync(new SubmissionQuery { PlatformId = h.Platform })).TotalCount);
        Assert.DoesNotContain(await Get<SubmissionService>().GetMonthGridAsync("2024-01", "2026-10"), p => p.PlatformId == h.Platform);
        Assert.Equal(0, (await Get<AlertService>().GetActionsAsync(h.Platform, new PageRequest())).TotalCount);
        Assert.DoesNotContain(await Get<MonitoringService>().GetPlatformsAsync(), p => p.Id == h.Platform);
        var months = await Get<MonitoringService>().GetMonthsAsync();
        var dashboard = await Get<MonitoringService>().GetDashboardAsync(new DashboardFilter(h.Platform, To: months[0]));
        Assert.Empty(dashboard.Platforms);
        Assert.Empty(dashboard.Peers);
        Assert.Empty(dashboard.Vintages);
        Assert.Null(dashboard.Roll);
        Assert.Equal(0, dashboard.Kpis!.Current.Loans);

        // Writes and role-limited reads: refused, with nothing of the other platform in the message.
        var refusals = new (string What, Func<Task> Call)[]
        {
            ("save another platform's draft", () => Get<ApplicationService>().SaveDraftAsync(h.Application, new ApplicationInputs(), stamp)),
            ("submit it", () => Get<ApplicationService>().SubmitAsync(h.Application, stamp)),
            ("answer it", () => Get<ApplicationService>().AnswerAsync(h.Application, "An answer long enough to pass.", stamp)),
            ("withdraw it", () => Get<ApplicationService>().WithdrawAsync(h.Application, "A reason long enough to pass.", stamp)),
            ("assign it", () => Get<ApplicationService>().AssignToSelfAsync(h.Application, stamp)),
            ("decide it", () => Get<ApplicationService>().DecideAsync(h.Application, DecisionInput.Reject("Reasons long enough to pass."), stamp)),
            ("attach a document to it", () => Get<DocumentService>().UploadAsync(h.Application, "plan.pdf", new MemoryStream("%PDF-1.4 x"u8.ToArray()))),
            ("check another platform's loan tape", () => Get<SubmissionService>().RecheckAsync(h.Submission)),
            ("confirm its warnings", () => Get<SubmissionService>().AcknowledgeWarningsAsync(h.Submission, stamp)),
            ("sign it", () => Get<SubmissionService>().SignAsync(h.Submission, "Sun Hao", true, stamp)),
            ("edit the platform", () => Get<PlatformService>().UpdateAsync(h.Platform, new PlatformInput(), stamp)),
            ("change its licence", () => Get<PlatformService>().ChangeLicenceStatusAsync(h.Platform, LicenceStatus.Revoked, "A reason long enough to pass.", stamp)),
            ("read an alert", () => Get<AlertService>().GetAsync(h.Alert!.Value)),
            ("acknowledge an alert", () => Get<AlertService>().AcknowledgeAsync(h.Alert!.Value, stamp)),
            ("ask whether it is watched", () => Get<WatchListService>().IsWatchedAsync(h.Platform)),
            ("watch it", () => Get<WatchListService>().WatchAsync(h.Platform, "A reason long enough.")),
            ("record an action on it", () => Get<AlertService>().RecordActionAsync(new NewSupervisoryAction(h.Platform, null, SupervisoryActionKind.Note, "A note long enough.", null))),
            ("read its report", () => Get<ReportService>().GetAsync(h.Report!.Value)),
            ("download its report", () => Get<ReportService>().OpenFileAsync(h.Report!.Value)),
            ("report on it", () => Get<ReportService>().GenerateAsync(new ReportRequest(months[0], [h.Platform]))),
            ("read a scorecard", () => Get<ScorecardService>().GetAsync(h.Scorecard)),
            ("read the audit log", () => Get<AuditService>().GetPageAsync(new AuditQuery())),
            ("read its operator's account", async () => await Get<UserAdminService>().GetPageAsync(new UserQuery { Search = "operator.hbxy" })),
        };
        foreach (var (what, call) in refusals)
        {
            var error = await Record.ExceptionAsync(call);
            Assert.True(error is NotFoundException or ForbiddenException, $"Operator tried to {what}: expected not found or forbidden, got {error?.GetType().Name ?? "success"}.");
            Assert.DoesNotContain(h.PlatformCode, error!.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(h.LegalName, error.Message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(before, await SnapshotAsync(h));
    }

    [Fact]
    public async Task Guangdong_reviewer_calling_the_services_with_a_Beijing_platforms_ids_reads_nothing()
    {
        var j = portal.Jdbt;
        await using var scope = await portal.Factory.ActAsAsync(DemoUsers.ReviewerGuangdong);
        T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

        Assert.Null(await Get<PlatformService>().GetAsync(j.Platform));
        Assert.Null(await Get<ApplicationService>().GetAsync(j.Application));
        Assert.Equal(0, (await Get<ApplicationService>().GetQueueAsync(new ApplicationQuery { PlatformId = j.Platform })).TotalCount);
        Assert.Null(await Get<DocumentService>().DownloadAsync(j.Document));
        Assert.Null(await Get<SubmissionService>().GetAsync(j.Submission));
        Assert.Null(await Get<SubmissionService>().OpenOriginalAsync(j.Submission));
        await Assert.ThrowsAsync<NotFoundException>(() => Get<GridExports>().FindingsAsync(j.Submission, new FindingQuery(), "", CancellationToken.None));
        Assert.Equal(0, (await Get<SubmissionService>().GetPageAsync(new SubmissionQuery { PlatformId = j.Platform })).TotalCount);
        Assert.All(await Get<SubmissionService>().GetMonthGridAsync("2024-01", "2026-10"), p => Assert.NotEqual(j.Platform, p.PlatformId));
        var assign = await Record.ExceptionAsync(() => Get<ApplicationService>().AssignToSelfAsync(j.Application, Guid.Empty));
        Assert.IsType<NotFoundException>(assign);

        // Control: the same services answer for a platform of Guangdong.
        await using var system = portal.Factory.Services.CreateAsyncScope();
        await using var db = await system.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System);
        var fqle = await db.Platforms.Where(p => p.Code == "FQLE").Select(p => p.Id).SingleAsync();
        Assert.NotNull(await Get<PlatformService>().GetAsync(fqle));
        Assert.NotEqual(0, (await Get<ApplicationService>().GetQueueAsync(new ApplicationQuery { PlatformId = fqle })).TotalCount);
    }

    [Fact]
    public async Task Analyst_limited_to_Guangdong_reads_no_other_platforms_code_in_the_audit_log()
    {
        const string email = "analyst.gd@financeportal.demo";
        await using (var admin = await portal.Factory.ActAsAsync(DemoUsers.Admin))
        {
            await admin.ServiceProvider.GetRequiredService<UserAdminService>().CreateAsync(new UserInput
            {
                Email = email,
                DisplayName = "Guangdong analyst",
                Roles = [Roles.Analyst],
                Provinces = ["Guangdong"],
                Password = DemoUsers.Password,
            });
        }

        int fqle;
        await using (var system = portal.Factory.Services.CreateAsyncScope())
        await using (var db = await system.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System))
        {
            fqle = await db.Platforms.Where(p => p.Code == "FQLE").Select(p => p.Id).SingleAsync();
        }

        // A national analyst reports on a Beijing and a Guangdong platform.
        long report;
        await using (var national = await portal.Factory.ActAsAsync(DemoUsers.Analyst))
        {
            var months = await national.ServiceProvider.GetRequiredService<MonitoringService>().GetMonthsAsync();
            report = (await national.ServiceProvider.GetRequiredService<ReportService>().GenerateAsync(new ReportRequest(months[0], [portal.Jdbt.Platform, fqle]))).Id;
        }

        await using var scope = await portal.Factory.ActAsAsync(email);
        var audit = scope.ServiceProvider.GetRequiredService<AuditService>();
        var entries = (await audit.GetPageAsync(new AuditQuery { EntityType = nameof(GeneratedReport), PageSize = PageRequest.MaxPageSize })).Items;

        // Control: the report and its Guangdong platform are in the log the analyst reads.
        Assert.Contains(entries, e => e.EntityId == report.ToString() && e.PlatformId is null && e.Summary.Contains("2 chosen platforms"));
        Assert.Contains(entries, e => e.EntityId == report.ToString() && e.PlatformCode == "FQLE");
        Assert.DoesNotContain(entries, e => e.PlatformId == portal.Jdbt.Platform);
        foreach (var outside in new[] { portal.Jdbt.PlatformCode, portal.Jdbt.LegalName, portal.Hbxy.PlatformCode, portal.Hbxy.LegalName })
        {
            var mentions = (await audit.GetPageAsync(new AuditQuery { Text = outside, PageSize = 20 })).Items;
            Assert.True(mentions.Count == 0, $"The Guangdong analyst reads {outside} in: " + string.Join(" | ", mentions.Select(e => $"{e.Action} {e.EntityType} {e.PlatformCode}: {e.Summary}")));
        }
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string path, string expected, DemoIds other)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (expected == "404")
        {
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET {path} gave {(int)response.StatusCode}; expected 404.");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/AccessDenied?", response.Headers.Location!.PathAndQuery);
        }

        // The code as a word: a four-letter code can occur by chance inside a random token (antiforgery, CSP nonce).
        Assert.DoesNotMatch($@"(?<![A-Za-z0-9+/_-]){System.Text.RegularExpressions.Regex.Escape(other.PlatformCode)}(?![A-Za-z0-9+/=_-])", body);
        Assert.DoesNotContain(other.LegalName, body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What a probe could have changed or left behind: states, stamps, and audit entries about the platform.</summary>
    private async Task<string> SnapshotAsync(DemoIds ids)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System);
        var platform = await db.Platforms.Where(p => p.Id == ids.Platform).Select(p => $"{p.LicenceStatus}/{p.ConcurrencyStamp}").SingleAsync();
        var apps = await db.AccessApplications.Where(a => a.PlatformId == ids.Platform).OrderBy(a => a.Id).Select(a => $"{a.Id}:{a.State}/{a.ConcurrencyStamp}").ToListAsync();
        var submission = await db.LoanSubmissions.Where(s => s.Id == ids.Submission).Select(s => $"{s.Status}/{s.ConcurrencyStamp}").SingleAsync();
        var documents = await db.ApplicationDocuments.CountAsync(d => d.PlatformId == ids.Platform);
        var actions = await db.SupervisoryActions.CountAsync(a => a.PlatformId == ids.Platform);
        var watched = await db.WatchList.CountAsync(w => w.PlatformId == ids.Platform);
        var audit = await db.AuditEntries.CountAsync(a => a.PlatformId == ids.Platform || a.Summary.Contains(ids.PlatformCode));
        return $"{platform} | {string.Join(",", apps)} | {submission} | docs {documents} | actions {actions} | watched {watched} | audit {audit}";
    }
}
