using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Alerts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FinancePortal.ComponentTests;

/// <summary>A save while the database is down: the form says so, keeps what was typed, and the retry succeeds.</summary>
public class DatabaseUnavailableTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly DatabaseOutage _outage = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Services.AddSingleton<IInterceptor>(_outage);
    }

    [Fact]
    public async Task Recording_an_action_while_the_database_is_down_shows_the_message_keeps_the_text_and_saves_on_retry()
    {
        await SignInAsAsync(DemoUsers.RiskOfficer);
        int platformId;
        await using (var risk = await ActAsAsync(DemoUsers.RiskOfficer))
        {
            await using var db = await risk.Get<FinancePortal.Application.IPortalDbFactory>().CreateAsync();
            platformId = await db.Platforms.Where(p => p.Code == "JDBT").Select(p => p.Id).SingleAsync();
        }

        RenderProviders();
        var parameters = new DialogParameters<RecordActionDialog> { { d => d.PlatformId, platformId } };
        await Dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<RecordActionDialog>("Record", parameters));
        Dialogs.WaitForAssertion(() => Dialogs.Find("textarea[data-testid=action-text]"), Timeout);
        const string text = "Asked the platform for its collection policy.";
        Dialogs.Find("textarea[data-testid=action-text]").Input(text);

        _outage.Down = true;
        await Dialogs.Find("[data-testid=action-save]").ClickAsync(new());

        Dialogs.WaitForAssertion(() => Assert.Equal(
            "The database is unavailable; your changes were not saved. Try again in a moment.",
            Dialogs.Find("[data-testid=action-error]").TextContent.Trim()), Timeout);
        Assert.Equal(text, Dialogs.Find("textarea[data-testid=action-text]").GetAttribute("value") ?? Dialogs.Find("textarea[data-testid=action-text]").TextContent);
        Assert.False(Dialogs.Find("[data-testid=action-save]").HasAttribute("disabled"));

        _outage.Down = false;
        await Dialogs.Find("[data-testid=action-save]").ClickAsync(new());

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=action-text]")), Timeout);
        await using var check = await ActAsAsync(DemoUsers.RiskOfficer);
        var actions = await check.Get<AlertService>().GetActionsAsync(platformId, new FinancePortal.Application.PageRequest());
        Assert.Contains(actions.Items, a => a.Text == text && a.Kind == SupervisoryActionKind.Note);
    }

    [Fact]
    public async Task Changing_a_licence_while_the_database_is_down_keeps_the_dialog_and_the_reason_and_succeeds_on_retry()
    {
        await SignInAsAsync(DemoUsers.Approver);
        var platforms = Services.GetRequiredService<FinancePortal.Application.Features.Platforms.PlatformService>();
        var qfenId = (await platforms.GetPageAsync(new FinancePortal.Application.Features.Platforms.PlatformQuery { Search = "QFEN" })).Items.Single(p => p.Code == "QFEN").Id;
        var qfen = (await platforms.GetAsync(qfenId))!;
        RenderProviders();
        var parameters = new DialogParameters<FinancePortal.Web.Components.Pages.Platforms.LicenceChangeDialog> { { d => d.Platform, qfen } };
        var reference = await Dialogs.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<FinancePortal.Web.Components.Pages.Platforms.LicenceChangeDialog>("Change licence status", parameters));
        Dialogs.WaitForElement("textarea", Timeout);
        const string reason = "Remediation plan accepted by the board.";
        Dialogs.Find("textarea").Change(reason);
        AngleSharp.Dom.IElement Submit() => Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Change licence status");

        _outage.Down = true;
        Submit().Click();

        Dialogs.WaitForAssertion(() => Assert.Contains(
            "The database is unavailable; your changes were not saved. Try again in a moment.", Dialogs.Markup), Timeout);
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal(reason, Dialogs.Find("textarea").GetAttribute("value") ?? Dialogs.Find("textarea").TextContent);

        _outage.Down = false;
        Submit().Click();

        var result = await reference.Result.WaitAsync(Timeout);
        Assert.False(result!.Canceled);
        Assert.Equal(LicenceStatus.Licensed, (await platforms.GetAsync(qfenId))!.LicenceStatus);
    }
}
