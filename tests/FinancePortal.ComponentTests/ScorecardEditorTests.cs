using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Scorecards;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Scorecards;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.ComponentTests;

/// <summary>The scorecard editor: curves read by the application layer, busy always reset, conflicts on activation reported.</summary>
public class ScorecardEditorTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly DatabaseOutage _outage = new();
    private readonly ActivationConflict _conflict = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Services.AddSingleton<IInterceptor>(_outage);
        Services.AddSingleton<IInterceptor>(_conflict);
    }

    private async Task<(int Id, IRenderedComponent<ScorecardEditor> Editor)> OpenDraftAsync()
    {
        await SignInAsAsync(DemoUsers.Admin);
        var id = await Services.GetRequiredService<ScorecardService>().CreateDraftAsync("Editor test draft");
        var editor = RenderWithProviders<ScorecardEditor>((nameof(ScorecardEditor.Id), id));
        editor.WaitForAssertion(() => editor.Find("[data-testid=scorecard-activate]"), Timeout);
        return (id, editor);
    }

    private static bool Disabled(IRenderedComponent<ScorecardEditor> editor, string testId) =>
        editor.Find($"[data-testid={testId}]").HasAttribute("disabled");

    [Fact]
    public async Task A_curve_pair_that_is_not_input_points_is_named_and_nothing_is_saved()
    {
        var (id, editor) = await OpenDraftAsync();
        var curve = editor.FindAll("input[data-testid^=curve-]")[0];
        var before = (await Services.GetRequiredService<ScorecardService>().GetAsync(id))!.Definition;

        curve.Change("0:0, fifty:60");
        await editor.Find("[data-testid=scorecard-save]").ClickAsync(new());

        editor.WaitForAssertion(() => Assert.Contains("\"fifty:60\" is not input:points.", editor.Find("[data-testid=scorecard-errors]").TextContent), Timeout);
        Assert.False(Disabled(editor, "scorecard-save"));
        var after = (await Services.GetRequiredService<ScorecardService>().GetAsync(id))!.Definition;
        Assert.Equal(ScorecardCurve.Format(before.Criteria[0].Factors[0].Curve), ScorecardCurve.Format(after.Criteria[0].Factors[0].Curve));
    }

    [Fact]
    public async Task A_conflict_on_activation_is_reported_and_the_buttons_come_back()
    {
        var (id, editor) = await OpenDraftAsync();
        _conflict.Armed = true;

        await editor.Find("[data-testid=scorecard-activate]").ClickAsync(new());

        Snackbars.WaitForAssertion(() => Assert.Contains("This record was changed by someone else. Reload it and apply your change again.", Snackbars.Markup), Timeout);
        Assert.Equal(1, _conflict.Thrown);
        Assert.False(Disabled(editor, "scorecard-activate"));
        Assert.False(Disabled(editor, "scorecard-save"));
        Assert.Equal(ScorecardStatus.Draft, (await Services.GetRequiredService<ScorecardService>().GetAsync(id))!.Status);
    }

    [Fact]
    public async Task Busy_is_reset_when_saving_fails_because_the_database_is_down()
    {
        var (_, editor) = await OpenDraftAsync();
        _outage.Down = true;

        await editor.Find("[data-testid=scorecard-whatif]").ClickAsync(new());

        Snackbars.WaitForAssertion(() => Assert.Contains("The database is unavailable; your changes were not saved. Try again in a moment.", Snackbars.Markup), Timeout);
        Assert.False(Disabled(editor, "scorecard-whatif"));
        Assert.Empty(editor.FindAll("[data-testid=whatif]"));

        _outage.Down = false;
        await editor.Find("[data-testid=scorecard-whatif]").ClickAsync(new());
        editor.WaitForAssertion(() => editor.Find("[data-testid=whatif]"), Timeout);
    }

    /// <summary>Someone else activates or changes the scorecard between the editor's save and its activation.</summary>
    private sealed class ActivationConflict : SaveChangesInterceptor
    {
        public bool Armed { get; set; }

        public int Thrown { get; private set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && eventData.Context is { } context && context.ChangeTracker.Entries<ScorecardVersion>().Any(Activating))
            {
                Thrown++;
                throw new DbUpdateConcurrencyException("The scorecard changed since it was read.");
            }

            return ValueTask.FromResult(result);
        }

        private static bool Activating(EntityEntry<ScorecardVersion> entry) =>
            entry.State == EntityState.Modified && entry.Entity.Status == ScorecardStatus.Active;
    }
}
