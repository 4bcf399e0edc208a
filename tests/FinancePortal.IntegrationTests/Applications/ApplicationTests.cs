using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.Application.Features.Scorecards;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.Applications;

/// <summary>The market-access workflow through the services, over a real SQLite copy of the demo database.</summary>
public class ApplicationTests : IAsyncLifetime
{
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    public static ApplicationInputs StrongInputs() => new()
    {
        RegisteredCapital = 8_000_000_000m, PaidInCapital = 8_000_000_000m, NetAssets = 6_000_000_000m,
        NonStandardFinancing = 2_000_000_000m, BondsAndAbsOutstanding = 10_000_000_000m, LendsOutsideHomeProvince = true,
        MaxLoanPerBorrower = 200_000m, FundingOwnFundsPct = 35, FundingBankCoLendingPct = 30, FundingAbsPct = 25, FundingOtherInstitutionsPct = 10,
        OwnShareOfCoLentLoansPct = 35, YearsOperating = 8, ActiveBorrowers = 5_000_000, LoanBalance = 60_000_000_000m, LoanBalancePriorYear = 50_000_000_000m,
        DefaultRate90Pct = 1.2m, RiskControlStaff = 800, CreditReportingConnected = true, SecurityCertified = true, ComplaintsPer10kBorrowers = 1.5m,
        SystemAvailabilityPct = 99.98m, RiskEducationProgramme = true,
        BusinessPlan = "Installment credit at checkout for verified shoppers, funded by own funds, bank co-lending and ABS.",
    };

    private async Task<T> AsAsync<T>(string email, Func<ApplicationService, Task<T>> action)
    {
        await using var scope = await _portal.AsAsync(email);
        return await action(scope.Get<ApplicationService>());
    }

    private Task AsAsync(string email, Func<ApplicationService, Task> action) => AsAsync(email, async s => { await action(s); return 0; });

    private Task<ApplicationDetail> DetailAsync(int id) => AsAsync(DemoUsers.Reviewer, s => s.GetAsync(id)!)!;

    /// <summary>HBXY's operator drafts and submits an application (the seed leaves HBXY with one open application; withdraw it first).</summary>
    private async Task<int> SubmittedApplicationAsync()
    {
        await using (var op = await _portal.AsAsync(DemoUsers.OperatorHbxy))
        {
            var service = op.Get<ApplicationService>();
            foreach (var open in (await service.GetQueueAsync(new ApplicationQuery { PageSize = 100 })).Items.Where(a => ApplicationWorkflow.IsOpen(a.State)))
            {
                var stamp = (await service.GetAsync(open.Id))!.ConcurrencyStamp;
                await service.WithdrawAsync(open.Id, "Superseded by a new application.", stamp);
            }
        }

        var id = await AsAsync(DemoUsers.OperatorHbxy, s => s.CreateDraftAsync());
        await AsAsync(DemoUsers.OperatorHbxy, async s => await s.SaveDraftAsync(id, StrongInputs(), (await s.GetAsync(id))!.ConcurrencyStamp));
        await AsAsync(DemoUsers.OperatorHbxy, async s => await s.SubmitAsync(id, (await s.GetAsync(id))!.ConcurrencyStamp));
        return id;
    }

    [Fact]
    public async Task Full_journey_from_draft_to_licence_with_information_request_and_four_eyes()
    {
        var id = await SubmittedApplicationAsync();
        await AsAsync(DemoUsers.Reviewer, async s => await s.AssignToSelfAsync(id, (await s.GetAsync(id))!.ConcurrencyStamp));
        await AsAsync(DemoUsers.Reviewer, async s => await s.RequestInformationAsync(id, "Please send the audited default-rate series.", (await s.GetAsync(id))!.ConcurrencyStamp));
        Assert.Equal(ApplicationState.InformationRequested, (await DetailAsync(id)).State);

        await AsAsync(DemoUsers.OperatorHbxy, async s => await s.AnswerAsync(id, "Attached the audited series for 2024-2026.", (await s.GetAsync(id))!.ConcurrencyStamp));
        var score = await AsAsync(DemoUsers.Reviewer, async s => await s.ScoreAsync(id, (await s.GetAsync(id))!.ConcurrencyStamp));
        Assert.Equal(Band.A, score.Band);
        await AsAsync(DemoUsers.Reviewer, async s => await s.RecommendAsync(id, Decision.Approve, "Strong on every criterion; approve.", (await s.GetAsync(id))!.ConcurrencyStamp));

        // The reviewer also holds no approver role, but even an approver who reviewed could not decide (tested below).
        await AsAsync(DemoUsers.Approver, async s => await s.DecideAsync(id, DecisionInput.Approve("Meets every knock-out; band A."), (await s.GetAsync(id))!.ConcurrencyStamp));

        var detail = await DetailAsync(id);
        Assert.Equal(ApplicationState.Approved, detail.State);
        Assert.Equal(
            [ApplicationState.Draft, ApplicationState.Submitted, ApplicationState.UnderReview, ApplicationState.InformationRequested, ApplicationState.UnderReview, ApplicationState.Recommended, ApplicationState.Approved],
            detail.Transitions.Select(t => t.ToState).ToArray());
        Assert.Equal([1, 2], detail.Versions.Select(v => v.Number).ToArray());
        Assert.Equal("Attached the audited series for 2024-2026.", detail.Versions[1].Note);
        Assert.Equal(2, detail.LatestScoring!.ApplicationVersionNumber);
        Assert.All(detail.Transitions, t => Assert.False(string.IsNullOrEmpty(t.Actor)));

        await using var approver = await _portal.AsAsync(DemoUsers.Approver);
        var platform = (await approver.Get<PlatformService>().GetAsync(detail.PlatformId))!;
        Assert.Equal(LicenceStatus.Licensed, platform.LicenceStatus);
        Assert.Contains(detail.Reference, platform.History[0].Reason);
        var audit = await approver.Get<IPortalDbFactory>().CreateAsync();
        await using (audit)
        {
            var actions = await audit.AuditEntries.Where(a => a.EntityId == id.ToString() && a.EntityType == nameof(AccessApplication)).Select(a => a.Action).ToListAsync();
            Assert.Contains("ApplicationSubmit", actions);
            Assert.Contains("ApplicationScored", actions);
            Assert.Contains("ApplicationApprove", actions);
        }
    }

    [Fact]
    public async Task The_reviewer_of_an_application_cannot_decide_it_even_with_the_approver_role()
    {
        var id = await SubmittedApplicationAsync();
        // Give the approver the reviewer role too, and let them review.
        await using (var admin = await _portal.AsAsync(DemoUsers.Admin))
        {
            var users = admin.Get<FinancePortal.Application.Features.Users.UserAdminService>();
            var approverId = (await users.GetPageAsync(new FinancePortal.Application.Features.Users.UserQuery { Search = "approver@" })).Items.Single().Id;
            var input = (await users.GetForEditAsync(approverId))!;
            input.Roles.Add(Roles.Reviewer);
            await users.UpdateAsync(approverId, input);
        }

        await AsAsync(DemoUsers.Approver, async s => await s.AssignToSelfAsync(id, (await s.GetAsync(id))!.ConcurrencyStamp));
        await AsAsync(DemoUsers.Approver, async s => await s.ScoreAsync(id, (await s.GetAsync(id))!.ConcurrencyStamp));
        await AsAsync(DemoUsers.Approver, async s => await s.RecommendAsync(id, Decision.Approve, "Recommend approval of this one.", (await s.GetAsync(id))!.ConcurrencyStamp));

        var ex = await Assert.ThrowsAsync<ForbiddenException>(() => AsAsync(DemoUsers.Approver, async s =>
            await s.DecideAsync(id, DecisionInput.Approve("Looks fine to me, approve."), (await s.GetAsync(id))!.ConcurrencyStamp)));
        Assert.Contains("Four eyes", ex.Message);
        Assert.Equal(ApplicationState.Recommended, (await DetailAsync(id)).State);
    }

    [Fact]
    public async Task Roles_are_enforced_by_the_service_whatever_the_UI_shows()
    {
        var id = await SubmittedApplicationAsync();
        await Assert.ThrowsAsync<ForbiddenException>(() => AsAsync(DemoUsers.OperatorHbxy, async s => await s.AssignToSelfAsync(id, (await s.GetAsync(id))!.ConcurrencyStamp)));
        await Assert.ThrowsAsync<ForbiddenException>(() => AsAsync(DemoUsers.Reviewer, async s => await s.DecideAsync(id, DecisionInput.Reject("Not good enough at all."), (await s.GetAsync(id))!.ConcurrencyStamp)));
        await AsAsync(DemoUsers.Reviewer, async s => await s.AssignToSelfAsync(id, (await s.GetAsync(id))!.ConcurrencyStamp));
        // A reviewer outside HBXY's province does not even see the application.
        await Assert.ThrowsAsync<NotFoundException>(() => AsAsync(DemoUsers.ReviewerGuangdong, s => s.ScoreAsync(id, Guid.Empty)));
    }

    [Fact]
    public async Task The_second_of_two_concurrent_actions_gets_changed_by_someone_else_and_nothing_is_lost()
    {
        var id = await SubmittedApplicationAsync();
        var stampSeenByBoth = (await DetailAsync(id)).ConcurrencyStamp;

        await AsAsync(DemoUsers.Reviewer, s => s.AssignToSelfAsync(id, stampSeenByBoth));
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => AsAsync(DemoUsers.OperatorHbxy, s => s.WithdrawAsync(id, "Changed our mind about it.", stampSeenByBoth)));
        Assert.Contains("changed by someone else", ex.Message);

        var detail = await DetailAsync(id);
        Assert.Equal(ApplicationState.UnderReview, detail.State);
        Assert.Equal(DemoUsers.Reviewer, detail.ReviewerName);
    }

    [Fact]
    public async Task Operators_never_see_another_platforms_applications_or_documents()
    {
        var id = await SubmittedApplicationAsync();
        await using var other = await _portal.AsAsync(DemoUsers.Operator);
        Assert.Null(await other.Get<ApplicationService>().GetAsync(id));
        var queue = await other.Get<ApplicationService>().GetQueueAsync(new ApplicationQuery { PageSize = 200 });
        Assert.NotEmpty(queue.Items);
        Assert.All(queue.Items, a => Assert.Equal("JDBT", a.PlatformCode));
        await Assert.ThrowsAsync<NotFoundException>(() => other.Get<ApplicationService>().WithdrawAsync(id, "Sabotage attempt here.", Guid.Empty));
    }

    [Fact]
    public async Task Documents_are_checked_by_signature_and_size_and_scoped_on_download()
    {
        var id = await AsAsync(DemoUsers.Operator, async s =>
        {
            var open = (await s.GetQueueAsync(new ApplicationQuery { State = ApplicationState.InformationRequested })).Items.Single();
            return open.Id;
        });
        await using var op = await _portal.AsAsync(DemoUsers.Operator);
        var documents = op.Get<DocumentService>();
        var pdf = "%PDF-1.7\n%%EOF"u8.ToArray();

        var uploaded = await documents.UploadAsync(id, "default-series.pdf", new MemoryStream(pdf));
        Assert.Equal(64, uploaded.Sha256.Length);

        var forged = await Assert.ThrowsAsync<ValidationFailedException>(() => documents.UploadAsync(id, "agreement.pdf", new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])));
        Assert.Contains("is not a real PDF", forged.Message);
        var oversized = await Assert.ThrowsAsync<ValidationFailedException>(() => documents.UploadAsync(id, "huge.pdf", new MemoryStream(new byte[documents.MaxBytes + 1])));
        Assert.Contains("larger than the 10 MB limit", oversized.Message);
        Assert.Single((await op.Get<ApplicationService>().GetAsync(id))!.Documents);

        Assert.Equal(pdf, (await documents.DownloadAsync(uploaded.Id))!.Bytes);
        await using var regulator = await _portal.AsAsync(DemoUsers.Reviewer);
        Assert.NotNull(await regulator.Get<DocumentService>().DownloadAsync(uploaded.Id));
        await using var otherOperator = await _portal.AsAsync(DemoUsers.OperatorHbxy);
        Assert.Null(await otherOperator.Get<DocumentService>().DownloadAsync(uploaded.Id));
        await using var outOfProvince = await _portal.AsAsync(DemoUsers.ReviewerGuangdong);
        Assert.Null(await outOfProvince.Get<DocumentService>().DownloadAsync(uploaded.Id));
    }

    [Fact]
    public async Task Seeded_queue_covers_every_state_and_every_band_and_filters_in_the_database()
    {
        await using var reviewer = await _portal.AsAsync(DemoUsers.Reviewer);
        var service = reviewer.Get<ApplicationService>();
        var all = await service.GetQueueAsync(new ApplicationQuery { PageSize = 200 });
        Assert.InRange(all.TotalCount, 35, 50);
        Assert.Equal(Enum.GetValues<ApplicationState>().Order(), all.Items.Select(a => a.State).Distinct().Order());
        Assert.Equal(Enum.GetValues<Band>().Order(), all.Items.Where(a => a.LatestBand is not null).Select(a => a.LatestBand!.Value).Distinct().Order());

        var recommended = await service.GetQueueAsync(new ApplicationQuery { State = ApplicationState.Recommended, SortBy = "LatestScore", Descending = true });
        Assert.All(recommended.Items, a => Assert.Equal(ApplicationState.Recommended, a.State));
        Assert.Equal(recommended.Items.Select(a => a.LatestScore).OrderDescending(), recommended.Items.Select(a => a.LatestScore));
        var page2 = await service.GetQueueAsync(new ApplicationQuery { Page = 1, PageSize = 10 });
        Assert.Equal(10, page2.Items.Count);
        Assert.Empty(page2.Items.Select(i => i.Id).Intersect((await service.GetQueueAsync(new ApplicationQuery { Page = 0, PageSize = 10 })).Items.Select(i => i.Id)));
    }

    [Fact]
    public async Task Scorings_stay_reproducible_after_a_new_scorecard_version_is_activated()
    {
        await using var admin = await _portal.AsAsync(DemoUsers.Admin);
        var scorecards = admin.Get<ScorecardService>();
        var draftId = await scorecards.CreateDraftAsync("Stricter default rate");
        var draft = (await scorecards.GetAsync(draftId))!;
        var stricter = draft.Definition with
        {
            Knockouts = draft.Definition.Knockouts with { MinOwnCoLendingSharePct = 36 },
        };

        var badWeights = stricter with { Criteria = stricter.Criteria.Select((c, i) => i == 0 ? c with { WeightPct = 40 } : c).ToList() };
        var weightsError = await Assert.ThrowsAsync<ValidationFailedException>(() => scorecards.UpdateDraftAsync(draftId, badWeights, draft.ConcurrencyStamp));
        Assert.Equal("Criterion weights must total 100 %; they total 115 %.", weightsError.Errors["Weights"]);
        Assert.Equal(draft.Definition, (await scorecards.GetAsync(draftId))!.Definition with { Criteria = draft.Definition.Criteria });

        await scorecards.UpdateDraftAsync(draftId, stricter, draft.ConcurrencyStamp);
        var whatIf = await scorecards.WhatIfAsync(draftId);
        Assert.True(whatIf.Evaluated >= 30);
        Assert.NotEmpty(whatIf.Changes);
        Assert.All(whatIf.Changes, c => Assert.Equal(Band.Fail, c.NewBand));
        Assert.All(whatIf.Changes, c => Assert.Contains("Own funding share of each co-lent loan", c.Why));

        await using var db = await admin.Get<IPortalDbFactory>().CreateAsync();
        var before = await db.Scorings.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Id, s.TotalScore, s.Band, s.ScorecardVersionNumber }).ToListAsync();
        await scorecards.ActivateAsync(draftId, (await scorecards.GetAsync(draftId))!.ConcurrencyStamp);
        var after = await db.Scorings.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Id, s.TotalScore, s.Band, s.ScorecardVersionNumber }).ToListAsync();
        Assert.Equal(before, after);

        // Re-evaluating a stored scoring with the version it names gives the same numbers.
        var stored = await db.Scorings.AsNoTracking().OrderBy(s => s.Id).FirstAsync();
        var v1 = (await scorecards.GetVersionsAsync()).Single(v => v.Number == stored.ScorecardVersionNumber);
        Assert.Equal(ScorecardStatus.Retired, v1.Status);
        var inputs = await db.ApplicationVersions.AsNoTracking().Where(v => v.Id == stored.ApplicationVersionId).Select(v => v.Inputs).SingleAsync();
        Assert.Equal(stored.TotalScore, ScorecardEngine.Evaluate((await scorecards.GetAsync(v1.Id))!.Definition, inputs).TotalScore);
        var edit = await Assert.ThrowsAsync<ValidationFailedException>(async () => await scorecards.UpdateDraftAsync(v1.Id, stricter, Guid.Empty));
        Assert.Contains("only a draft can be changed", edit.Message);
    }

    [Fact]
    public async Task Bad_input_changes_nothing()
    {
        var id = await AsAsync(DemoUsers.OperatorHbxy, async s =>
        {
            foreach (var open in (await s.GetQueueAsync(new ApplicationQuery { PageSize = 100 })).Items.Where(a => ApplicationWorkflow.IsOpen(a.State)))
            {
                await s.WithdrawAsync(open.Id, "Superseded by a new application.", (await s.GetAsync(open.Id))!.ConcurrencyStamp);
            }

            return await s.CreateDraftAsync();
        });
        var negative = StrongInputs();
        negative.RegisteredCapital = -1m;
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => AsAsync(DemoUsers.OperatorHbxy, async s => await s.SaveDraftAsync(id, negative, (await s.GetAsync(id))!.ConcurrencyStamp)));
        Assert.Equal("Registered capital cannot be negative.", ex.Errors[nameof(ApplicationInputs.RegisteredCapital)]);
        Assert.NotEqual(-1m, (await DetailAsync(id)).Inputs.RegisteredCapital);

        var incomplete = await Assert.ThrowsAsync<ValidationFailedException>(() => AsAsync(DemoUsers.OperatorHbxy, async s => await s.SubmitAsync(id, (await s.GetAsync(id))!.ConcurrencyStamp)));
        Assert.Contains("FundingMix", incomplete.Errors.Keys);
        Assert.Equal(ApplicationState.Draft, (await DetailAsync(id)).State);
        Assert.Empty((await DetailAsync(id)).Versions);
    }
}
