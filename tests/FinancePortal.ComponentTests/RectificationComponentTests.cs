using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Rectifications;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages;
using FinancePortal.Web.Components.Pages.Rectifications;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace FinancePortal.ComponentTests;

/// <summary>
/// Issue 17 item 5: the operator's home (next deadlines, own filing calendar, open requests) and the two-way
/// rectification thread: the operator replies with a document, the risk officer accepts or reopens.
/// </summary>
public class RectificationComponentTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    private async Task<RectificationListItem> QfenRequestAsync(Func<RectificationListItem, bool> which)
    {
        await using var risk = await ActAsAsync(DemoUsers.RiskOfficer);
        return (await risk.Get<RectificationService>().GetPageAsync(new RectificationQuery { PageSize = 50 })).Items.Where(r => r.PlatformCode == "QFEN").Single(which);
    }

    private async Task<RectificationDetail> DetailAsync(long id)
    {
        await using var risk = await ActAsAsync(DemoUsers.RiskOfficer);
        return await risk.Get<RectificationService>().GetAsync(id);
    }

    [Fact]
    public async Task Operator_home_shows_the_next_deadline_with_days_left_the_own_filing_calendar_and_open_requests()
    {
        await SignInAsAsync(DemoUsers.OperatorQfen);

        var home = RenderWithProviders<Home>();

        home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=calendar-month]")), Timeout);
        // The test clock stands at 2026-11-25: November's tape is due by 2026-12-15.
        var deadline = home.Find("[data-testid=deadline][data-period='2026-11']");
        Assert.Equal("no", deadline.GetAttribute("data-overdue"));
        Assert.Contains("due 2026-12-15", deadline.TextContent);
        Assert.Contains("20 days left", deadline.TextContent);

        var months = home.FindAll("[data-testid=calendar-month]");
        Assert.Equal(12, months.Count);
        Assert.Equal("2026-11", months[0].GetAttribute("data-period"));
        Assert.Equal("Due", months[0].GetAttribute("data-state"));
        Assert.Equal("OnTime", home.Find("[data-testid=calendar-month][data-period='2026-10']").GetAttribute("data-state"));
        Assert.Contains("v1", home.Find("[data-testid=calendar-month][data-period='2026-10']").TextContent);

        home.WaitForAssertion(() => Assert.Equal(3, home.FindAll("[data-testid=operator-requests] [data-testid=rectification-request]").Count), Timeout);
        var requests = home.Find("[data-testid=operator-requests]");
        Assert.Single(requests.QuerySelectorAll("[data-overdue=yes]"));
        Assert.Contains("Overdue", requests.TextContent);
        Assert.Contains("Answered", requests.TextContent);
        Assert.All(requests.QuerySelectorAll("a[data-testid=rectification-link]"), a => Assert.Matches(@"^rectifications/\d+$", a.GetAttribute("href")!));
    }

    [Fact]
    public async Task Risk_officers_home_lists_open_requests_of_every_platform_in_scope_and_no_operator_panel()
    {
        await SignInAsAsync(DemoUsers.RiskOfficer);

        var home = RenderWithProviders<Home>();

        home.WaitForElement("[data-testid=scope-description]", Timeout);
        Assert.Empty(home.FindAll("[data-testid=operator-home]"));
        home.WaitForAssertion(() => Assert.Equal(3, home.FindAll("[data-testid=regulator-requests] [data-testid=rectification-request]").Count), Timeout);
        Assert.Contains("QFEN", home.Find("[data-testid=regulator-requests]").TextContent);
    }

    [Fact]
    public async Task Analysts_home_has_neither_panel()
    {
        await SignInAsAsync(DemoUsers.Analyst);

        var home = RenderWithProviders<Home>();

        home.WaitForElement("[data-testid=scope-description]", Timeout);
        Assert.Empty(home.FindAll("[data-testid=operator-home]"));
        Assert.Empty(home.FindAll("[data-testid=regulator-requests]"));
    }

    [Fact]
    public async Task Operator_replies_with_a_document_and_the_thread_shows_the_answer_and_its_file()
    {
        var overdue = await QfenRequestAsync(r => r.Overdue);
        await SignInAsAsync(DemoUsers.OperatorQfen);

        var page = RenderWithProviders<RectificationPage>((nameof(RectificationPage.Id), overdue.Id));
        page.WaitForElement("[data-testid=rectification-reply]", Timeout);
        Assert.Empty(page.FindAll("[data-testid=rectification-accept]"));
        Assert.Single(page.FindAll("[data-testid=rectification-overdue]"));

        page.Find("[data-testid=rectification-reply]").Click();
        Dialogs.WaitForElement("[data-testid=reply-text]", Timeout);
        var dialog = Dialogs.FindComponent<ReplyDialog>();
        Dialogs.Find("textarea[data-testid=reply-text]").Input("Procedure approved by the board on 12 November; statistics attached.");
        await dialog.InvokeAsync(() => dialog.FindComponent<MudFileUpload<IReadOnlyList<IBrowserFile>>>().Instance.FilesChanged.InvokeAsync([new MemoryFile("procedure.pdf", Pdf)]));
        Dialogs.WaitForAssertion(() => Assert.Contains("procedure.pdf", Dialogs.Find("[data-testid=reply-file-list]").TextContent), Timeout);
        Dialogs.Find("[data-testid=reply-send]").Click();

        page.WaitForAssertion(() => Assert.Equal("Answered", page.Find("[data-testid=rectification-state]").GetAttribute("data-state")), Timeout);
        var steps = page.FindAll("[data-testid=rectification-step]");
        Assert.Equal(["Requested", "Replied"], steps.Select(s => s.GetAttribute("data-kind")));
        Assert.Contains("Procedure approved by the board", steps[1].TextContent);
        Assert.Contains("Huang Lei", steps[1].TextContent);
        var file = page.Find("[data-testid=rectification-attachment]");
        Assert.Contains("procedure.pdf", file.TextContent);
        Assert.Matches(@"^rectifications/attachments/\d+$", file.GetAttribute("href")!);
        Assert.Empty(page.FindAll("[data-testid=rectification-reply]"));
        Assert.Empty(page.FindAll("[data-testid=rectification-overdue]"));
    }

    [Fact]
    public async Task A_fake_document_is_refused_in_the_reply_dialog_and_the_request_stays_open()
    {
        var overdue = await QfenRequestAsync(r => r.Overdue);
        await SignInAsAsync(DemoUsers.OperatorQfen);
        var page = RenderWithProviders<RectificationPage>((nameof(RectificationPage.Id), overdue.Id));
        page.WaitForElement("[data-testid=rectification-reply]", Timeout).Click();
        Dialogs.WaitForElement("[data-testid=reply-text]", Timeout);
        var dialog = Dialogs.FindComponent<ReplyDialog>();
        Dialogs.Find("textarea[data-testid=reply-text]").Input("Statistics attached as requested.");
        await dialog.InvokeAsync(() => dialog.FindComponent<MudFileUpload<IReadOnlyList<IBrowserFile>>>().Instance.FilesChanged.InvokeAsync([new MemoryFile("stats.pdf", "not a pdf"u8.ToArray())]));
        Dialogs.Find("[data-testid=reply-send]").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains("stats.pdf", Dialogs.Find("[data-testid=reply-error]").TextContent), Timeout);
        Assert.Equal(RectificationState.Open, (await DetailAsync(overdue.Id)).Request.State);
    }

    [Fact]
    public async Task Risk_officer_reopens_an_answered_request_with_a_note_and_a_later_accept_is_offered_only_once_answered_again()
    {
        var answered = await QfenRequestAsync(r => r.State == RectificationState.Answered);
        await SignInAsAsync(DemoUsers.RiskOfficer);

        var page = RenderWithProviders<RectificationPage>((nameof(RectificationPage.Id), answered.Id));
        page.WaitForElement("[data-testid=rectification-accept]", Timeout);
        Assert.Empty(page.FindAll("[data-testid=rectification-reply]"));
        Assert.Equal(["Requested", "Replied"], page.FindAll("[data-testid=rectification-step]").Select(s => s.GetAttribute("data-kind")));
        Assert.Single(page.FindAll("[data-testid=rectification-alert-link]"));

        page.Find("[data-testid=rectification-reopen]").Click();
        Dialogs.WaitForElement("[data-testid=decision-note]", Timeout);
        Assert.True(Dialogs.Find("[data-testid=decision-save]").HasAttribute("disabled"));
        Dialogs.Find("textarea[data-testid=decision-note]").Input("Send the agreements themselves, not the minutes.");
        Dialogs.Find("[data-testid=decision-save]").Click();

        page.WaitForAssertion(() => Assert.Equal("Reopened", page.Find("[data-testid=rectification-state]").GetAttribute("data-state")), Timeout);
        Assert.Equal(["Requested", "Replied", "Reopened"], page.FindAll("[data-testid=rectification-step]").Select(s => s.GetAttribute("data-kind")));
        Assert.Empty(page.FindAll("[data-testid=rectification-accept]"));
    }

    [Fact]
    public async Task Risk_officer_accepts_an_answered_request()
    {
        var answered = await QfenRequestAsync(r => r.State == RectificationState.Answered);
        await SignInAsAsync(DemoUsers.RiskOfficer);

        var page = RenderWithProviders<RectificationPage>((nameof(RectificationPage.Id), answered.Id));
        page.WaitForElement("[data-testid=rectification-accept]", Timeout).Click();
        Dialogs.WaitForElement("[data-testid=decision-note]", Timeout);
        Dialogs.Find("[data-testid=decision-save]").Click();

        page.WaitForAssertion(() => Assert.Equal("Accepted", page.Find("[data-testid=rectification-state]").GetAttribute("data-state")), Timeout);
        Assert.Empty(page.FindAll("[data-testid=rectification-accept]"));
        Assert.Equal(RectificationState.Accepted, (await DetailAsync(answered.Id)).Request.State);
    }

    [Fact]
    public async Task Another_platforms_request_is_not_found_for_an_operator()
    {
        var overdue = await QfenRequestAsync(r => r.Overdue);
        await SignInAsAsync(DemoUsers.Operator);

        var page = RenderWithProviders<RectificationPage>((nameof(RectificationPage.Id), overdue.Id));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=not-found]")), Timeout);
        Assert.DoesNotContain("complaint-handling", page.Markup);
    }

    private sealed class MemoryFile(string name, byte[] content) : IBrowserFile
    {
        public string Name => name;

        public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;

        public long Size => content.Length;

        public string ContentType => "application/octet-stream";

        public Stream OpenReadStream(long maxAllowedSize = 512000, CancellationToken cancellationToken = default) => new MemoryStream(content);
    }
}
