using Microsoft.EntityFrameworkCore;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Users;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure.Data;
using FinancePortal.TestSupport;

namespace FinancePortal.UnitTests.SqlServer;

/// <summary>
/// Runs the real services against a SQL Server-configured context (no server) and parses every command they send:
/// the app's key queries translate to valid T-SQL, including the data-scope filter.
/// </summary>
public class SqlServerQueryTests
{
    private readonly SqlServerCapture _capture = new();

    private PortalDbFactory Factory(UserContext user, DataScope scope) =>
        new(new CapturingContextFactory(_capture), new TestCurrentUser { User = user }, new FixedScope(scope), TimeProvider.System);

    private static readonly UserContext Reviewer = new("u1", "reviewer@x", [Roles.Reviewer, Roles.Admin, Roles.Analyst]);

    [Fact]
    public async Task Platform_queries_translate_to_valid_TSQL_with_the_scope_filter()
    {
        var service = new PlatformService(Factory(Reviewer, DataScope.Platforms([3, 5, 8], "Provinces: Guangdong")));

        await service.GetPageAsync(new PlatformQuery { Search = "JD", Kind = PlatformKind.CommercialBank, Status = LicenceStatus.Licensed, Province = "Beijing", SortBy = "RegisteredCapital", Descending = true, Page = 2, PageSize = 10 });
        await service.GetAsync(5);
        await service.GetOptionsAsync();
        await service.GetScopeSummaryAsync();

        AssertAllParse(minimum: 5);
        Assert.Contains(_capture.Commands, c => c.Contains("OFFSET") && c.Contains("FETCH NEXT"));
        Assert.Contains(_capture.Commands, c => c.Contains("[LicenceChanges]"));
    }

    [Fact]
    public async Task Audit_queries_translate_to_valid_TSQL()
    {
        var service = new AuditService(Factory(Reviewer, DataScope.All()));

        await service.GetPageAsync(new AuditQuery
        {
            Actor = "admin", Action = AuditActions.SignIn, EntityType = "PortalUser", PlatformId = 4, Text = "locked",
            FromUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), ToUtc = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc),
            SortBy = "Actor",
        });
        await service.GetActionsAsync();

        AssertAllParse(minimum: 3);
        Assert.Contains(_capture.Commands, c => c.Contains("[AuditEntries]"));
    }

    [Fact]
    public async Task Audit_page_for_a_limited_scope_keeps_the_scope_filter_in_every_query()
    {
        var service = new AuditService(Factory(Reviewer, DataScope.Platforms([3, 5, 8], "Provinces: Guangdong")));

        await service.GetPageAsync(new AuditQuery { Text = "report" });

        AssertAllParse(minimum: 2);
        var audit = _capture.Commands.Where(c => c.Contains("FROM [AuditEntries]")).ToList();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, c => Assert.Contains("scopeIsAll", c));
    }

    [Fact]
    public async Task User_list_query_translates_to_valid_TSQL()
    {
        var service = new UserAdminService(Factory(Reviewer, DataScope.All()), scopeFactory: null!);

        await service.GetPageAsync(new UserQuery { Search = "li", Role = Roles.Operator, SortBy = "DisplayName" });

        AssertAllParse(minimum: 2);
        Assert.Contains(_capture.Commands, c => c.Contains("[AspNetUserRoles]"));
    }

    [Fact]
    public async Task Application_queue_and_detail_queries_translate_to_valid_TSQL()
    {
        var service = new FinancePortal.Application.Features.Applications.ApplicationService(Factory(Reviewer, DataScope.Platforms([1, 2], "Provinces: Beijing")),
            Microsoft.Extensions.Options.Options.Create(new FinancePortal.Application.Features.Applications.DecisionLetterOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<FinancePortal.Application.Features.Applications.ApplicationService>.Instance);

        await service.GetQueueAsync(new FinancePortal.Application.Features.Applications.ApplicationQuery
        {
            State = ApplicationState.UnderReview, Band = Band.B, PlatformId = 2, AssigneeId = "u1", Search = "MA-2026",
            SubmittedFromUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), SubmittedToUtc = new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc),
            SortBy = "LatestScore", Descending = true, Page = 3, PageSize = 25,
        });
        await service.GetAsync(7);
        await service.GetLetterAsync(7);
        await new FinancePortal.Application.Features.Scorecards.ScorecardService(Factory(Reviewer, DataScope.All())).GetVersionsAsync();

        AssertAllParse(minimum: 4);
        Assert.Contains(_capture.Commands, c => c.Contains("[AccessApplications]") && c.Contains("OFFSET"));
        Assert.Contains(_capture.Commands, c => c.Contains("[ScorecardVersions]"));
    }

    private static readonly FinancePortal.Application.Features.LoanTapes.FilingCalendar Calendar =
        new(Microsoft.Extensions.Options.Options.Create(new FinancePortal.Application.Features.LoanTapes.FilingOptions()));

    [Fact]
    public async Task Submission_queries_translate_to_valid_TSQL()
    {
        var service = new FinancePortal.Application.Features.LoanTapes.SubmissionService(
            Factory(Reviewer, DataScope.Platforms([2, 4], "Provinces: Beijing")), files: null!, workflow: null!, TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new FinancePortal.Application.UploadOptions()), Calendar);

        await service.GetMonthGridAsync("2025-11", "2026-10");
        await service.GetPageAsync(new FinancePortal.Application.Features.LoanTapes.SubmissionQuery { Period = "2026-10", PlatformId = 2, Status = SubmissionStatus.Signed, Page = 1 });
        await service.GetFindingsAsync(9, new FinancePortal.Application.Features.LoanTapes.FindingQuery { Code = "V14", Page = 2, PageSize = 50 });

        AssertAllParse(minimum: 5);
        Assert.Contains(_capture.Commands, c => c.Contains("[LoanSubmissions]") && c.Contains("GROUP BY"));
        Assert.Contains(_capture.Commands, c => c.Contains("[SubmissionFindings]") && c.Contains("OFFSET"));
    }

    [Fact]
    public async Task Monitoring_and_alert_queries_translate_to_valid_TSQL()
    {
        var factory = Factory(Reviewer with { Roles = [Roles.RiskOfficer] }, DataScope.Platforms([2, 4], "Provinces: Beijing"));
        var monitoring = new FinancePortal.Application.Features.Monitoring.MonitoringService(factory, Calendar);
        await monitoring.GetDashboardAsync(new FinancePortal.Application.Features.Monitoring.DashboardFilter(PlatformId: 2, Product: "CASH_LOAN", From: "2025-11", To: "2026-10"));
        await monitoring.GetDashboardAsync(new FinancePortal.Application.Features.Monitoring.DashboardFilter(To: "2026-10"));
        await monitoring.GetMonthsAsync();
        await monitoring.GetPlatformsAsync();

        var alerts = new FinancePortal.Application.Features.Alerts.AlertService(factory, Calendar);
        await alerts.GetPageAsync(new FinancePortal.Application.Features.Alerts.AlertQuery { OpenOnly = true, Rule = AlertRule.Par30AboveLimit, SortBy = "Severity", Descending = true, Page = 1 });
        await alerts.GetPageAsync(new FinancePortal.Application.Features.Alerts.AlertQuery { AssignedToMe = true, SortBy = "Platform" });
        await alerts.GetActionsAsync(2, new FinancePortal.Application.PageRequest(1, 25));
        await new FinancePortal.Application.Features.Alerts.WatchListService(factory).GetWatchListAsync();
        await alerts.GetOfficersAsync();
        await new FinancePortal.Application.Features.Alerts.AlertThresholdService(factory).GetThresholdHistoryAsync();

        // The rebuild's loan-level queries, on a system-scoped unit of work.
        await using (var db = await Factory(UserContext.System, DataScope.All()).CreateForAsync(UserContext.System))
        {
            await FinancePortal.Application.Features.Monitoring.FigureQueries.FiguresAsync(db.LoanRecords.Where(r => r.SubmissionId == 7), new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31), CancellationToken.None);
            await FinancePortal.Application.Features.Monitoring.FigureQueries.RollRatesAsync(db, 6, 7, CancellationToken.None);
            await FinancePortal.Application.Features.Monitoring.FigureQueries.NewlyDefaultedAsync(db, 7, [1, 3, 6], CancellationToken.None);
            await FinancePortal.Application.Features.Monitoring.MetricsRebuilder.RebuildIndustryAsync(db, "2026-10", CancellationToken.None);
            await FinancePortal.Application.Features.Alerts.AlertEvaluator.EvaluateMissingAsync(db, Calendar, CancellationToken.None);
        }

        AssertAllParse(minimum: 20);
        Assert.Contains(_capture.Commands, c => c.Contains("[MonthlyAggregates]") && c.Contains("GROUP BY"));
        Assert.Contains(_capture.Commands, c => c.Contains("[LoanRecords]") && c.Contains("LEFT JOIN"));
        Assert.Contains(_capture.Commands, c => c.Contains("[LoanRecords]") && c.Contains("NOT EXISTS"));
        Assert.Contains(_capture.Commands, c => c.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) && c.Contains("[IndustryAggregates]"));
        Assert.Contains(_capture.Commands, c => c.Contains("[Alerts]") && c.Contains("OFFSET"));
    }

    [Fact]
    public async Task Export_queries_translate_to_valid_TSQL_with_the_scope_filter()
    {
        var factory = Factory(Reviewer with { Roles = [Roles.RiskOfficer, Roles.Analyst, Roles.Admin] }, DataScope.Platforms([2, 4], "Provinces: Beijing"));
        var extracts = new FinancePortal.Application.Features.Exports.LoanExtractService(factory, exports: null!, new FinancePortal.Infrastructure.Exports.LoanExtractReader());
        await extracts.PlanAsync(new FinancePortal.Application.Features.Exports.LoanExtractFilter(PlatformId: 2, From: "2026-01", To: "2026-10", Status: "DEFAULTED", Product: "CASH_LOAN"));
        await foreach (var _ in extracts.StreamAsync(new FinancePortal.Application.Features.Exports.LoanExtractFilter(From: "2026-10")))
        {
        }

        await using (var db = await factory.CreateAsync())
        {
            // The per platform-month row query (the capture answers the plan with no parts, so translate it directly).
            var part = new FinancePortal.Application.Features.Exports.LoanExtractPart(7, 2, "JDBT", "2026-10", 1, 100);
            _capture.Commands.Add(FinancePortal.Application.Features.Exports.LoanExtractService
                .RowsOf(db, part, 1000, 3109, new FinancePortal.Application.Features.Exports.LoanExtractFilter(Status: "DEFAULTED", Product: "CASH_LOAN")).ToQueryString());
        }

        // The grid exports stream each service's own query, every page.
        await foreach (var _ in new FinancePortal.Application.Features.Alerts.AlertService(factory, Calendar).StreamAsync(new FinancePortal.Application.Features.Alerts.AlertQuery { OpenOnly = true, SortBy = "Severity" }))
        {
        }

        await foreach (var _ in new AuditService(factory).StreamAsync(new AuditQuery { Action = AuditActions.Exported, SortBy = "Actor" }))
        {
        }

        await foreach (var _ in new FinancePortal.Application.Features.Applications.ApplicationService(factory,
            Microsoft.Extensions.Options.Options.Create(new FinancePortal.Application.Features.Applications.DecisionLetterOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<FinancePortal.Application.Features.Applications.ApplicationService>.Instance).StreamQueueAsync(new FinancePortal.Application.Features.Applications.ApplicationQuery { Search = "JD", SortBy = "LatestScore" }))
        {
        }

        AssertAllParse(minimum: 6);
        Assert.Contains(_capture.Commands, c => c.Contains("[LoanSubmissions]") && c.Contains("NOT EXISTS"));
        Assert.Contains(_capture.Commands, c => c.Contains("[LoanRecords]") && c.Contains("ORDER BY [l].[Id]"));
    }

    [Fact]
    public async Task Data_scope_resolution_translates_to_valid_TSQL()
    {
        var resolver = new DataScopeResolver(new CapturingContextFactory(_capture));

        var scope = await resolver.ResolveAsync(new UserContext("u1", "someone", [Roles.Operator]));

        Assert.False(scope.IsAll);
        AssertAllParse(minimum: 1);
        Assert.Contains(_capture.Commands, c => c.Contains("[AspNetUsers]"));
    }

    [Fact]
    public async Task Rectification_queries_translate_to_valid_TSQL_with_the_scope_filter_and_the_overdue_test()
    {
        var risk = new UserContext("u2", "risk@x", [Roles.RiskOfficer]);
        var service = new FinancePortal.Application.Features.Rectifications.RectificationService(
            Factory(risk, DataScope.Platforms([3, 5, 8], "Provinces: Guangdong")), files: null!, Microsoft.Extensions.Options.Options.Create(new FinancePortal.Application.UploadOptions()));

        await service.GetPageAsync(new FinancePortal.Application.Features.Rectifications.RectificationQuery { OpenOnly = true, PlatformId = 5, AlertId = 7, Page = 1, PageSize = 10 });
        await Assert.ThrowsAsync<FinancePortal.Application.NotFoundException>(() => service.GetAsync(11));

        AssertAllParse(minimum: 3);
        Assert.Contains(_capture.Commands, c => c.Contains("[RectificationRequests]") && c.Contains("[DueDate] <"));
    }

    private void AssertAllParse(int minimum)
    {
        Assert.True(_capture.Commands.Count >= minimum, $"Expected at least {minimum} commands, captured {_capture.Commands.Count}.");
        foreach (var sql in _capture.Commands)
        {
            var errors = TSql.Parse(sql);
            Assert.True(errors.Count == 0, $"{TSql.Describe(errors)}{Environment.NewLine}{sql}");
        }
    }

    private sealed class FixedScope(DataScope scope) : IDataScopeResolver
    {
        public Task<DataScope> ResolveAsync(UserContext user, CancellationToken cancellationToken = default) => Task.FromResult(scope);
    }
}

/// <summary>A meter factory for services built by hand in these tests (their metrics are not asserted here).</summary>
internal sealed class NoMeters : System.Diagnostics.Metrics.IMeterFactory
{
    private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
    {
        var meter = new System.Diagnostics.Metrics.Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
