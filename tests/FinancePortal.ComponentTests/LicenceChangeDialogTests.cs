using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Platforms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace FinancePortal.ComponentTests;

/// <summary>The licence change dialog, opened through IDialogService as the detail page does, saving through PlatformService.</summary>
public class LicenceChangeDialogTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private async Task<PlatformDetail> PlatformAsync(string code)
    {
        var platforms = Services.GetRequiredService<PlatformService>();
        var item = (await platforms.GetPageAsync(new PlatformQuery { Search = code })).Items.Single(p => p.Code == code);
        return (await platforms.GetAsync(item.Id))!;
    }

    private async Task<IDialogReference> OpenAsync(PlatformDetail platform)
    {
        RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<LicenceChangeDialog> { { d => d.Platform, platform } };
        var reference = await Dialogs.InvokeAsync(() => dialogs.ShowAsync<LicenceChangeDialog>("Change licence status", parameters));
        Dialogs.WaitForElement("textarea", Timeout);
        return reference;
    }

    private void EnterReason(string reason) => Dialogs.Find("textarea").Change(reason);

    private void Submit() =>
        Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Change licence status").Click();

    [Fact]
    public async Task A_reason_shorter_than_ten_characters_is_refused_with_the_services_message()
    {
        await SignInAsAsync(DemoUsers.Approver);
        var qfen = await PlatformAsync("QFEN");
        var reference = await OpenAsync(qfen);

        EnterReason("too short");
        Submit();

        Dialogs.WaitForAssertion(
            () => Assert.Equal("Give the reason for the licence change (at least 10 characters).", Dialogs.Find(".mud-input-error .mud-input-helper-text, .mud-input-helper-text.mud-input-error").TextContent.Trim()),
            Timeout);
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal(LicenceStatus.Suspended, (await PlatformAsync("QFEN")).LicenceStatus);
    }

    [Fact]
    public async Task An_empty_reason_is_refused_too()
    {
        await SignInAsAsync(DemoUsers.Approver);
        var reference = await OpenAsync(await PlatformAsync("JDBT"));

        Submit();

        Dialogs.WaitForAssertion(
            () => Assert.Contains("Give the reason for the licence change (at least 10 characters).", Dialogs.Markup),
            Timeout);
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal(LicenceStatus.Licensed, (await PlatformAsync("JDBT")).LicenceStatus);
    }

    [Fact]
    public async Task The_new_status_defaults_to_reinstating_a_suspended_licence_and_excludes_the_current_status()
    {
        await SignInAsAsync(DemoUsers.Approver);
        await OpenAsync(await PlatformAsync("QFEN"));

        // MudBlazor 9 puts the select's data-testid on the element that shows the value (an input when empty, a div once chosen).
        var select = Dialogs.Find("[data-testid=licence-status]");
        Assert.Equal("Licensed", select.TextContent.Trim());

        select.Closest("div.mud-input-control")!.MouseDown();
        Popovers.WaitForAssertion(
            () => Assert.Equal(
                ["Applicant", "Licensed", "Conditionally licensed", "Revoked"],
                Popovers.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent.Trim())),
            Timeout);
    }

    [Fact]
    public async Task A_valid_reason_changes_the_licence_closes_the_dialog_and_records_the_history()
    {
        await SignInAsAsync(DemoUsers.Approver);
        var jdbt = await PlatformAsync("JDBT");
        var reference = await OpenAsync(jdbt);

        EnterReason("Capital adequacy below the required ratio.");
        Submit();

        var result = await reference.Result.WaitAsync(Timeout);
        Assert.False(result!.Canceled);
        Assert.Equal(LicenceStatus.Suspended, result.Data);
        var after = await PlatformAsync("JDBT");
        Assert.Equal(LicenceStatus.Suspended, after.LicenceStatus);
        var latest = after.History[0];
        Assert.Equal((LicenceStatus?)LicenceStatus.Licensed, latest.FromStatus);
        Assert.Equal("Capital adequacy below the required ratio.", latest.Reason);
        Assert.Equal(DemoUsers.Approver, latest.Actor);
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("textarea")), Timeout);
        Snackbars.WaitForAssertion(() => Assert.Contains("Licence status changed.", Snackbars.Markup), Timeout);
    }

    [Fact]
    public async Task Cancel_closes_the_dialog_without_a_change()
    {
        await SignInAsAsync(DemoUsers.Approver);
        var reference = await OpenAsync(await PlatformAsync("JDBT"));

        EnterReason("Capital adequacy below the required ratio.");
        Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        var result = await reference.Result.WaitAsync(Timeout);
        Assert.True(result!.Canceled);
        Assert.Equal(LicenceStatus.Licensed, (await PlatformAsync("JDBT")).LicenceStatus);
    }

    [Fact]
    public async Task A_change_saved_by_someone_else_meanwhile_is_reported_as_a_conflict()
    {
        await SignInAsAsync(DemoUsers.Approver);
        var stale = await PlatformAsync("JDBT");
        var reference = await OpenAsync(stale);

        await using (var other = await ActAsAsync(DemoUsers.Approver))
        {
            await other.Get<PlatformService>().ChangeLicenceStatusAsync(stale.Id, LicenceStatus.ConditionallyLicensed, "Conditions imposed after inspection.", stale.ConcurrencyStamp);
        }

        EnterReason("Capital adequacy below the required ratio.");
        Submit();

        Dialogs.WaitForAssertion(
            () => Assert.Contains("This record was changed by someone else. Reload it and apply your change again.", Dialogs.Markup),
            Timeout);
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal(LicenceStatus.ConditionallyLicensed, (await PlatformAsync("JDBT")).LicenceStatus);
    }
}
