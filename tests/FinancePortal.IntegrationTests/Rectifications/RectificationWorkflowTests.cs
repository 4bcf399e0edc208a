using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Rectifications;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.Rectifications;

/// <summary>
/// Rectification requests as a two-way workflow over the seeded demo database: the state machine (Open → Answered →
/// Reopened → Answered → Accepted), due dates and overdue marking, replies with attachments in the file store, roles and
/// data scope in the service, and an audit record for every step.
/// </summary>
public class RectificationWorkflowTests : IAsyncLifetime
{
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();

    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<T> StoredAsync<T>(Func<IPortalDb, Task<T>> read)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await read(db);
    }

    private Task<int> PlatformIdAsync(string code) => StoredAsync(db => db.Platforms.Where(p => p.Code == code).Select(p => p.Id).SingleAsync());

    private Task<List<AuditEntry>> AuditAsync(long requestId)
    {
        var key = requestId.ToString();
        return StoredAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == nameof(RectificationRequest) && e.EntityId == key).OrderBy(e => e.Id).ToListAsync());
    }

    private async Task<RectificationDetail> DetailAsync(long id, string email = DemoUsers.RiskOfficer)
    {
        await using var user = await _portal.AsAsync(email);
        return await user.Get<RectificationService>().GetAsync(id);
    }

    /// <summary>A new request to JDBT (operator@), recorded by the risk officer the way the UI does.</summary>
    private async Task<long> RequestJdbtAsync(string text = "Explain the rise in 30-59 DPD balances.", DateOnly? due = null)
    {
        var jdbt = await PlatformIdAsync("JDBT");
        await using var risk = await _portal.AsAsync(DemoUsers.RiskOfficer);
        var actionId = await risk.Get<AlertService>().RecordActionAsync(new NewSupervisoryAction(jdbt, null, SupervisoryActionKind.RectificationRequest, text, due ?? new DateOnly(2026, 12, 20)));
        return await StoredAsync(db => db.RectificationRequests.Where(r => r.SupervisoryActionId == actionId).Select(r => r.Id).SingleAsync());
    }

    private static RectificationFile File(string name, byte[] bytes) => new(name, new MemoryStream(bytes));

    [Fact]
    public async Task A_request_is_answered_with_a_file_reopened_answered_again_and_accepted_and_every_step_is_audited_and_visible_to_both_sides()
    {
        var id = await RequestJdbtAsync();
        var opened = await DetailAsync(id);
        Assert.Equal((RectificationState.Open, new DateOnly(2026, 12, 20), false), (opened.Request.State, opened.Request.DueDate, opened.Request.Overdue));
        Assert.Equal([RectificationStepKind.Requested], opened.Thread.Select(m => m.Kind));

        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            _portal.Clock.Advance(TimeSpan.FromHours(1));
            await op.Get<RectificationService>().ReplyAsync(id, opened.ConcurrencyStamp, "  The balances rose with the Singles' Day campaign; plan attached.  ", [File("plan.pdf", Pdf)]);
        }

        var answered = await DetailAsync(id, DemoUsers.Operator);
        Assert.Equal(RectificationState.Answered, answered.Request.State);
        var reply = answered.Thread[^1];
        Assert.Equal((RectificationStepKind.Replied, "The balances rose with the Singles' Day campaign; plan attached.", "Sun Hao", true),
            (reply.Kind, reply.Text, reply.ActorName, reply.FromPlatform));
        var attachment = Assert.Single(reply.Attachments);
        Assert.Equal(("plan.pdf", "application/pdf", (long)Pdf.Length), (attachment.FileName, attachment.ContentType, attachment.SizeBytes));

        // The regulator reads the file from the content-addressed store.
        await using (var risk = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            var download = await risk.Get<RectificationService>().OpenAttachmentAsync(attachment.Id);
            Assert.NotNull(download);
            await using var content = download.Content;
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            Assert.Equal(Pdf, copy.ToArray());

            _portal.Clock.Advance(TimeSpan.FromHours(1));
            await risk.Get<RectificationService>().ReopenAsync(id, answered.ConcurrencyStamp, "Send the collections staffing figures too.", new DateOnly(2027, 1, 10));
        }

        var reopened = await DetailAsync(id, DemoUsers.Operator);
        Assert.Equal((RectificationState.Reopened, new DateOnly(2027, 1, 10)), (reopened.Request.State, reopened.Request.DueDate));

        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            _portal.Clock.Advance(TimeSpan.FromHours(1));
            await op.Get<RectificationService>().ReplyAsync(id, reopened.ConcurrencyStamp, "42 collectors, 6 team leads; no vacancies.", []);
        }

        var again = await DetailAsync(id);
        await using (var risk = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            _portal.Clock.Advance(TimeSpan.FromHours(1));
            await risk.Get<RectificationService>().AcceptAsync(id, again.ConcurrencyStamp, "Plan accepted.");
        }

        var accepted = await DetailAsync(id, DemoUsers.Operator);
        Assert.Equal(RectificationState.Accepted, accepted.Request.State);
        Assert.Equal(
            [RectificationStepKind.Requested, RectificationStepKind.Replied, RectificationStepKind.Reopened, RectificationStepKind.Replied, RectificationStepKind.Accepted],
            accepted.Thread.Select(m => m.Kind));
        Assert.Equal([false, true, false, true, false], accepted.Thread.Select(m => m.FromPlatform));

        var audit = await AuditAsync(id);
        Assert.Equal(
            [RectificationAuditActions.Requested, RectificationAuditActions.Answered, RectificationAuditActions.AttachmentDownloaded, RectificationAuditActions.Reopened,
                RectificationAuditActions.Answered, RectificationAuditActions.Accepted],
            audit.Select(e => e.Action));
        Assert.Equal([DemoUsers.RiskOfficer, DemoUsers.Operator, DemoUsers.RiskOfficer, DemoUsers.RiskOfficer, DemoUsers.Operator, DemoUsers.RiskOfficer], audit.Select(e => e.Actor));
        Assert.Contains("plan.pdf", audit[1].Summary);
        Assert.Contains("2026-12-20 → 2027-01-10", audit[3].Summary);
        Assert.All(audit, e => Assert.Equal(accepted.Request.PlatformId, e.PlatformId));

        // Accepted is final.
        await using var risk2 = await _portal.AsAsync(DemoUsers.RiskOfficer);
        var final = await Assert.ThrowsAsync<ValidationFailedException>(() => risk2.Get<RectificationService>().ReopenAsync(id, accepted.ConcurrencyStamp, "Once more, please.", null));
        Assert.Equal("A request that is Accepted cannot be moved to Reopened.", final.Errors["State"]);
    }

    [Fact]
    public async Task Illegal_moves_and_stale_stamps_are_refused_and_change_nothing()
    {
        var id = await RequestJdbtAsync();
        var opened = await DetailAsync(id);
        await using var risk = await _portal.AsAsync(DemoUsers.RiskOfficer);
        var regulator = risk.Get<RectificationService>();
        await Assert.ThrowsAsync<ValidationFailedException>(() => regulator.AcceptAsync(id, opened.ConcurrencyStamp, null));
        await Assert.ThrowsAsync<ValidationFailedException>(() => regulator.ReopenAsync(id, opened.ConcurrencyStamp, "Not answered yet though.", null));

        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var platform = op.Get<RectificationService>();
        var short_ = await Assert.ThrowsAsync<ValidationFailedException>(() => platform.ReplyAsync(id, opened.ConcurrencyStamp, " ok ", []));
        Assert.True(short_.Errors.ContainsKey("Text"));
        await platform.ReplyAsync(id, opened.ConcurrencyStamp, "Balances explained in the attached note.", []);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => regulator.AcceptAsync(id, opened.ConcurrencyStamp, null));
        var answered = await DetailAsync(id);
        await Assert.ThrowsAsync<ValidationFailedException>(() => platform.ReplyAsync(id, answered.ConcurrencyStamp, "A second answer before any decision.", []));

        var after = await DetailAsync(id);
        Assert.Equal((RectificationState.Answered, 2), (after.Request.State, after.Thread.Count));
        Assert.Equal([RectificationAuditActions.Requested, RectificationAuditActions.Answered], (await AuditAsync(id)).Select(e => e.Action));
    }

    [Fact]
    public async Task Files_must_be_real_documents_within_the_size_limit_and_a_refused_reply_stores_nothing()
    {
        var id = await RequestJdbtAsync();
        var stamp = (await DetailAsync(id)).ConcurrencyStamp;
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var service = op.Get<RectificationService>();

        var fake = await Assert.ThrowsAsync<ValidationFailedException>(() => service.ReplyAsync(id, stamp, "Our plan is attached.", [File("plan.pdf", "not a pdf"u8.ToArray())]));
        Assert.Contains("plan.pdf", fake.Errors["File"]);
        var exe = await Assert.ThrowsAsync<ValidationFailedException>(() => service.ReplyAsync(id, stamp, "Our plan is attached.", [File("plan.exe", Pdf)]));
        Assert.True(exe.Errors.ContainsKey("File"));
        var big = new byte[service.MaxFileBytes + 1];
        Pdf.CopyTo(big, 0);
        var tooBig = await Assert.ThrowsAsync<ValidationFailedException>(() => service.ReplyAsync(id, stamp, "Our plan is attached.", [File("big.pdf", big)]));
        Assert.Contains("limit", tooBig.Errors["Files"]);
        var many = Enumerable.Range(1, RectificationService.MaxAttachments + 1).Select(i => File($"p{i}.pdf", Pdf)).ToList();
        Assert.True((await Assert.ThrowsAsync<ValidationFailedException>(() => service.ReplyAsync(id, stamp, "Our plan is attached.", many))).Errors.ContainsKey("Files"));

        var detail = await DetailAsync(id);
        Assert.Equal((RectificationState.Open, stamp, 1), (detail.Request.State, detail.ConcurrencyStamp, detail.Thread.Count));
        Assert.Equal(0, await StoredAsync(db => db.RectificationAttachments.CountAsync()));
    }

    [Fact]
    public async Task Roles_and_scope_are_enforced_in_the_service_and_another_platforms_request_is_not_found()
    {
        var id = await RequestJdbtAsync();
        var stamp = (await DetailAsync(id)).ConcurrencyStamp;

        await using var risk = await _portal.AsAsync(DemoUsers.RiskOfficer);
        await Assert.ThrowsAsync<ForbiddenException>(() => risk.Get<RectificationService>().ReplyAsync(id, stamp, "A regulator answering for the platform.", []));
        await using var analyst = await _portal.AsAsync(DemoUsers.Analyst);
        await Assert.ThrowsAsync<ForbiddenException>(() => analyst.Get<RectificationService>().AcceptAsync(id, stamp, null));
        Assert.Equal(id, (await analyst.Get<RectificationService>().GetAsync(id)).Request.Id);

        await using var other = await _portal.AsAsync(DemoUsers.OperatorHbxy);
        var hbxy = other.Get<RectificationService>();
        await Assert.ThrowsAsync<NotFoundException>(() => hbxy.GetAsync(id));
        await Assert.ThrowsAsync<NotFoundException>(() => hbxy.ReplyAsync(id, stamp, "Answering for another platform.", []));
        Assert.DoesNotContain((await hbxy.GetPageAsync(new RectificationQuery { PageSize = 200 })).Items, r => r.Id == id);

        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        await Assert.ThrowsAsync<ForbiddenException>(() => op.Get<RectificationService>().AcceptAsync(id, stamp, null));
        var own = await op.Get<RectificationService>().GetPageAsync(new RectificationQuery { OpenOnly = true, PageSize = 200 });
        var jdbt = await PlatformIdAsync("JDBT");
        Assert.All(own.Items, r => Assert.Equal(jdbt, r.PlatformId));
        Assert.Contains(own.Items, r => r.Id == id);
        Assert.Equal(RectificationState.Open, (await DetailAsync(id)).Request.State);
    }

    [Fact]
    public async Task A_request_waiting_for_the_platform_is_overdue_after_its_due_date_but_an_answered_one_is_not()
    {
        var waiting = await RequestJdbtAsync("Send the corrected October tape.", new DateOnly(2026, 11, 30));
        var answered = await RequestJdbtAsync("Send the collections policy.", new DateOnly(2026, 11, 30));
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            await op.Get<RectificationService>().ReplyAsync(answered, (await DetailAsync(answered)).ConcurrencyStamp, "Policy attached to the board minutes.", []);
        }

        Assert.False((await DetailAsync(waiting)).Request.Overdue);
        _portal.Clock.Advance(TimeSpan.FromDays(6)); // 2026-12-01
        Assert.True((await DetailAsync(waiting)).Request.Overdue);
        Assert.False((await DetailAsync(answered)).Request.Overdue);
        await using var user = await _portal.AsAsync(DemoUsers.Operator);
        var page = await user.Get<RectificationService>().GetPageAsync(new RectificationQuery { OpenOnly = true });
        Assert.True(page.Items.Single(r => r.Id == waiting).Overdue);
    }

    [Fact]
    public async Task Demo_data_has_QFENs_requests_linked_to_their_actions_one_overdue_and_one_answered()
    {
        var qfen = await PlatformIdAsync("QFEN");
        await using var risk = await _portal.AsAsync(DemoUsers.RiskOfficer);
        var requests = (await risk.Get<RectificationService>().GetPageAsync(new RectificationQuery { PlatformId = qfen, PageSize = 50 })).Items;
        Assert.Equal(3, requests.Count);
        Assert.Single(requests, r => r.Overdue);
        Assert.Single(requests, r => r.State == RectificationState.Answered);
        Assert.Contains(requests, r => r.AlertId is not null && r.Text.StartsWith("Submit a remediation plan", StringComparison.Ordinal));
        var actions = await StoredAsync(db => db.SupervisoryActions.Where(a => a.Kind == SupervisoryActionKind.RectificationRequest).Select(a => a.Id).ToListAsync());
        var linked = await StoredAsync(db => db.RectificationRequests.Select(r => r.SupervisoryActionId).ToListAsync());
        Assert.Equal(actions.Order(), linked.Select(l => l!.Value).Order());

        // An alert lists its requests.
        var alertId = requests.First(r => r.AlertId is not null).AlertId!.Value;
        Assert.NotEmpty((await risk.Get<RectificationService>().GetPageAsync(new RectificationQuery { AlertId = alertId })).Items);
    }
}
