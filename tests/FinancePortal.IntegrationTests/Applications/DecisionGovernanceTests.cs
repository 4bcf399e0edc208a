using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Users;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.Applications;

/// <summary>
/// Override governance (DOMAIN.md §3): a decision against the scorecard needs a written justification and takes effect
/// only when a second approver, neither the first nor the reviewer, confirms it. Everything through the services, so no
/// page can bypass it.
/// </summary>
public class DecisionGovernanceTests : IAsyncLifetime
{
    private const string Justification = "Capital increase of RMB 600 million was paid in on 2026-11-20; the knock-out reflects the superseded balance sheet.";
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    /// <summary>Registered capital below the RMB 1 bn knock-out, and paid-in below registered: band Fail.</summary>
    private static ApplicationInputs FailingInputs()
    {
        var inputs = ApplicationTests.StrongInputs();
        inputs.LendsOutsideHomeProvince = false;
        inputs.RegisteredCapital = 800_000_000m;
        inputs.PaidInCapital = 600_000_000m;
        return inputs;
    }

    private async Task<T> AsAsync<T>(string email, Func<ApplicationService, Task<T>> action)
    {
        await using var scope = await _portal.AsAsync(email);
        return await action(scope.Get<ApplicationService>());
    }

    private Task AsAsync(string email, Func<ApplicationService, Task> action) => AsAsync(email, async s => { await action(s); return 0; });

    private Task<Guid> StampAsync(int id) => AsAsync(DemoUsers.Reviewer, async s => (await s.GetAsync(id))!.ConcurrencyStamp);

    private Task<ApplicationDetail> DetailAsync(int id) => AsAsync(DemoUsers.Reviewer, async s => (await s.GetAsync(id))!);

    /// <summary>HBXY submits <paramref name="inputs"/>; the reviewer scores them and recommends <paramref name="verdict"/>.</summary>
    private async Task<int> RecommendedAsync(ApplicationInputs inputs, Decision verdict)
    {
        await using (var op = await _portal.AsAsync(DemoUsers.OperatorHbxy))
        {
            var service = op.Get<ApplicationService>();
            foreach (var open in (await service.GetQueueAsync(new ApplicationQuery { PageSize = 100 })).Items.Where(a => ApplicationWorkflow.IsOpen(a.State)))
            {
                await service.WithdrawAsync(open.Id, "Superseded by a new application.", (await service.GetAsync(open.Id))!.ConcurrencyStamp);
            }
        }

        var id = await AsAsync(DemoUsers.OperatorHbxy, s => s.CreateDraftAsync());
        await AsAsync(DemoUsers.OperatorHbxy, async s => await s.SaveDraftAsync(id, inputs, await StampAsync(id)));
        await AsAsync(DemoUsers.OperatorHbxy, async s => await s.SubmitAsync(id, await StampAsync(id)));
        await AsAsync(DemoUsers.Reviewer, async s => await s.AssignToSelfAsync(id, await StampAsync(id)));
        await AsAsync(DemoUsers.Reviewer, async s => await s.ScoreAsync(id, await StampAsync(id)));
        await AsAsync(DemoUsers.Reviewer, async s => await s.RecommendAsync(id, verdict, "The scorecard's result stands; see the breakdown.", await StampAsync(id)));
        return id;
    }

    private async Task<LicenceStatus> LicenceAsync(int platformId)
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        return (await admin.Get<PlatformService>().GetAsync(platformId))!.LicenceStatus;
    }

    private async Task<List<string>> AuditActionsAsync(int id)
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        await using var db = await admin.Get<IPortalDbFactory>().CreateAsync();
        return await db.AuditEntries.Where(a => a.EntityType == nameof(AccessApplication) && a.EntityId == id.ToString()).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
    }

    [Fact]
    public async Task The_reviewer_recommends_a_verdict_with_a_reason()
    {
        var id = await RecommendedAsync(ApplicationTests.StrongInputs(), Decision.ApproveWithConditions);
        var detail = await DetailAsync(id);
        Assert.Equal(Decision.ApproveWithConditions, detail.RecommendedDecision);
        Assert.Equal("The scorecard's result stands; see the breakdown.", detail.Recommendation);
        Assert.Equal("Li Na", detail.Officials.Reviewer!.Name);
        Assert.Equal("Recommends to approve with conditions: The scorecard's result stands; see the breakdown.", detail.Transitions[^1].Comment);
    }

    [Fact]
    public async Task Approving_a_Fail_band_needs_a_justification_and_a_second_approver_before_the_licence_changes()
    {
        var id = await RecommendedAsync(FailingInputs(), Decision.Reject);
        var detail = await DetailAsync(id);
        Assert.Equal(Band.Fail, detail.LatestScoring!.Band);
        var before = await LicenceAsync(detail.PlatformId);

        // No justification: refused, nothing changes.
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, DecisionInput.Approve("Approve despite the scorecard."), await StampAsync(id))));
        Assert.True(refused.Errors.ContainsKey(nameof(DecisionInput.OverrideJustification)));
        Assert.Contains("system result: reject, band Fail", refused.Message);
        Assert.Equal(ApplicationState.Recommended, (await DetailAsync(id)).State);

        // With a justification: proposed, pending, the licence untouched.
        await AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, DecisionInput.Approve("Approve despite the scorecard.", Justification), await StampAsync(id)));
        detail = await DetailAsync(id);
        Assert.Equal(ApplicationState.OverridePending, detail.State);
        Assert.Equal(Decision.Approve, detail.PendingDecision);
        Assert.False(detail.IsOverride);
        Assert.Equal(before, await LicenceAsync(detail.PlatformId));
        Assert.Null(await AsAsync(DemoUsers.Approver, s => s.GetLetterAsync(id)));

        // The proposer cannot confirm their own override.
        var own = await Assert.ThrowsAsync<ForbiddenException>(() =>
            AsAsync(DemoUsers.Approver, async s => await s.ConfirmOverrideAsync(id, "Confirming my own proposal here.", await StampAsync(id))));
        Assert.Contains("second approver", own.Message);
        Assert.Equal(ApplicationState.OverridePending, (await DetailAsync(id)).State);

        // A second approver confirms: the decision takes effect and is marked as an override everywhere.
        await AsAsync(DemoUsers.Approver2, async s => await s.ConfirmOverrideAsync(id, "Paid-in capital evidence checked against the bank statement.", await StampAsync(id)));
        detail = await DetailAsync(id);
        Assert.Equal(ApplicationState.Approved, detail.State);
        Assert.True(detail.IsOverride);
        Assert.Equal(Justification, detail.OverrideJustification);
        Assert.Equal("Zhang Wei", detail.Officials.Decider!.Name);
        Assert.Equal("Qian Fang", detail.Officials.Confirmer!.Name);
        Assert.Equal(LicenceStatus.Licensed, await LicenceAsync(detail.PlatformId));
        Assert.Equal(
            [ApplicationState.Recommended, ApplicationState.OverridePending, ApplicationState.Approved],
            detail.Transitions.Select(t => t.ToState).TakeLast(3).ToArray());

        var audit = await AuditActionsAsync(id);
        Assert.Contains("ApplicationProposeOverride", audit);
        Assert.Contains(AuditActions.OverrideConfirmed, audit);
        Assert.Contains("ApplicationApprove", audit);

        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        var history = (await admin.Get<PlatformService>().GetAsync(detail.PlatformId))!.History[0];
        Assert.Contains("(override)", history.Reason);
    }

    [Fact]
    public async Task A_conditional_approval_with_failed_knockouts_is_an_override_and_needs_dated_conditions()
    {
        var id = await RecommendedAsync(FailingInputs(), Decision.Reject);
        var today = DateOnly.FromDateTime(_portal.Clock.GetUtcNow().UtcDateTime);
        var noConditions = new DecisionInput(Decision.ApproveWithConditions, "Approve once capital is paid in.", [], Justification);
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, noConditions, await StampAsync(id))));
        Assert.Contains("at least one condition", ex.Message);

        var pastDue = noConditions with { Conditions = [new DecisionCondition("Pay in the remaining capital.", today)] };
        ex = await Assert.ThrowsAsync<ValidationFailedException>(() => AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, pastDue, await StampAsync(id))));
        Assert.Contains("due date after today", ex.Message);

        var noJustification = noConditions with { Conditions = [new DecisionCondition("Pay in the remaining capital.", today.AddMonths(6))], OverrideJustification = null };
        await Assert.ThrowsAsync<ValidationFailedException>(() => AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, noJustification, await StampAsync(id))));

        await AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, noJustification with { OverrideJustification = Justification }, await StampAsync(id)));
        Assert.Equal(ApplicationState.OverridePending, (await DetailAsync(id)).State);
        await AsAsync(DemoUsers.Approver2, async s => await s.ConfirmOverrideAsync(id, "Conditions are adequate to cure the knock-outs.", await StampAsync(id)));

        var detail = await DetailAsync(id);
        Assert.Equal(ApplicationState.ConditionallyApproved, detail.State);
        Assert.Equal([new DecisionCondition("Pay in the remaining capital.", today.AddMonths(6))], detail.Conditions);
        Assert.Equal(LicenceStatus.ConditionallyLicensed, await LicenceAsync(detail.PlatformId));
    }

    [Fact]
    public async Task Rejecting_an_A_band_is_an_override_that_can_be_declined_and_then_decided_in_line()
    {
        var id = await RecommendedAsync(ApplicationTests.StrongInputs(), Decision.Approve);
        Assert.Equal(Band.A, (await DetailAsync(id)).LatestScoring!.Band);
        var before = await LicenceAsync((await DetailAsync(id)).PlatformId);

        await Assert.ThrowsAsync<ValidationFailedException>(() => AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, DecisionInput.Reject("Reject in spite of band A."), await StampAsync(id))));
        await AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, DecisionInput.Reject("Reject in spite of band A.", Justification), await StampAsync(id)));
        Assert.Equal(ApplicationState.OverridePending, (await DetailAsync(id)).State);

        await AsAsync(DemoUsers.Approver2, async s => await s.DeclineOverrideAsync(id, "The scorecard's evidence outweighs the concern.", await StampAsync(id)));
        var detail = await DetailAsync(id);
        Assert.Equal(ApplicationState.Recommended, detail.State);
        Assert.Null(detail.PendingDecision);
        Assert.Null(detail.OverrideJustification);
        Assert.Equal(before, await LicenceAsync(detail.PlatformId));

        // A decision in line with the scorecard takes effect at once, by the second approver as well.
        await AsAsync(DemoUsers.Approver2, async s => await s.DecideAsync(id, DecisionInput.Approve("Band A and every knock-out passed."), await StampAsync(id)));
        detail = await DetailAsync(id);
        Assert.Equal(ApplicationState.Approved, detail.State);
        Assert.False(detail.IsOverride);
        Assert.Contains("ApplicationDeclineOverride", await AuditActionsAsync(id));
    }

    [Fact]
    public async Task A_reviewer_who_is_also_an_approver_can_neither_decide_nor_confirm_the_override()
    {
        var id = await RecommendedAsync(FailingInputs(), Decision.Reject);
        await AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, DecisionInput.Approve("Approve despite the scorecard.", Justification), await StampAsync(id)));

        // The reviewer gains the approver role: still not a second approver for their own review.
        await using (var admin = await _portal.AsAsync(DemoUsers.Admin))
        {
            var users = admin.Get<UserAdminService>();
            var reviewerId = (await users.GetPageAsync(new UserQuery { Search = "reviewer@" })).Items.Single().Id;
            var input = (await users.GetForEditAsync(reviewerId))!;
            input.Roles.Add(Roles.Approver);
            await users.UpdateAsync(reviewerId, input);
        }

        var ex = await Assert.ThrowsAsync<ForbiddenException>(() =>
            AsAsync(DemoUsers.Reviewer, async s => await s.ConfirmOverrideAsync(id, "Confirming as the reviewer of it.", await StampAsync(id))));
        Assert.Contains("reviewed", ex.Message);
        Assert.Equal(ApplicationState.OverridePending, (await DetailAsync(id)).State);

        // Only approvers act on overrides at all.
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            AsAsync(DemoUsers.RiskOfficer, async s => await s.ConfirmOverrideAsync(id, "A risk officer trying to confirm.", Guid.Empty)));
    }

    [Fact]
    public async Task The_letter_names_authority_officials_by_name_and_title_conditions_scorecard_override_and_appeal_deadline()
    {
        var id = await RecommendedAsync(FailingInputs(), Decision.Reject);
        var due = DateOnly.FromDateTime(_portal.Clock.GetUtcNow().UtcDateTime).AddMonths(3);
        var input = new DecisionInput(Decision.ApproveWithConditions, "Approve subject to paying in the capital.", [new DecisionCondition("Pay in the remaining RMB 200 million of capital.", due)], Justification);
        await AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, input, await StampAsync(id)));
        await AsAsync(DemoUsers.Approver2, async s => await s.ConfirmOverrideAsync(id, "Capital evidence checked; conditions adequate.", await StampAsync(id)));

        var letter = (await AsAsync(DemoUsers.OperatorHbxy, s => s.GetLetterAsync(id)))!;
        Assert.Equal(ApplicationState.ConditionallyApproved, letter.Decision);
        Assert.Equal(new Official(letter.Reviewer!.UserId, "Li Na", "Senior Examiner, Market Access Division"), letter.Reviewer);
        Assert.Equal("Director, Market Access Division", letter.Decider!.Title);
        Assert.Equal("Qian Fang", letter.Confirmer!.Name);
        Assert.DoesNotContain("@", letter.Reviewer.Name + letter.Decider.Name + letter.Confirmer.Name);
        Assert.Equal([new DecisionCondition("Pay in the remaining RMB 200 million of capital.", due)], letter.Conditions);
        Assert.Equal(1, letter.Scoring!.ScorecardVersionNumber);
        Assert.Equal(Band.Fail, letter.Scoring.Band);
        Assert.Equal(Decision.Reject, letter.SystemDecision);
        Assert.NotEmpty(letter.FailedKnockouts);
        Assert.True(letter.IsOverride);
        Assert.Equal(Justification, letter.OverrideJustification);
        Assert.Equal(DateOnly.FromDateTime(letter.DecidedUtc).AddDays(new DecisionLetterOptions().AppealDays), letter.AppealDeadline);

        // Another platform's operator gets no letter.
        Assert.Null(await AsAsync(DemoUsers.Operator, s => s.GetLetterAsync(id)));
    }
}
