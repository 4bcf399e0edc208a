using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Scorecards;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Infrastructure.Seeding;

/// <summary>
/// Demo market-access data: scorecard v1 (active) and ~40 applications across every workflow state, with inputs
/// drawn from four profiles so that bands A, B, C and Fail all occur. Deterministic.
/// </summary>
internal static class DemoApplications
{
    public enum Profile
    {
        Strong,
        Medium,
        Weak,
        KnockedOut,
    }

    public sealed record Spec(string Code, ApplicationState State, Profile Profile, int Day);

    public static readonly IReadOnlyList<Spec> Specs =
    [
        // Licensed platforms: an approved application, some with earlier history or an open follow-up.
        new("HBXY", ApplicationState.Approved, Profile.Strong, 90), new("HBXY", ApplicationState.UnderReview, Profile.Strong, 640),
        new("JDBT", ApplicationState.Rejected, Profile.Weak, 60), new("JDBT", ApplicationState.Approved, Profile.Strong, 130), new("JDBT", ApplicationState.InformationRequested, Profile.Medium, 650),
        new("FQLE", ApplicationState.Approved, Profile.Strong, 140), new("FQLE", ApplicationState.Recommended, Profile.Medium, 660),
        new("ZSXJ", ApplicationState.Withdrawn, Profile.Medium, 100), new("ZSXJ", ApplicationState.Approved, Profile.Strong, 180),
        new("MSXF", ApplicationState.Approved, Profile.Strong, 200), new("MSXF", ApplicationState.Draft, Profile.Medium, 670),
        new("WZCB", ApplicationState.Approved, Profile.Strong, 210), new("WZCB", ApplicationState.Submitted, Profile.Strong, 675),
        // Conditionally licensed.
        new("SNRX", ApplicationState.Rejected, Profile.KnockedOut, 70), new("SNRX", ApplicationState.ConditionallyApproved, Profile.Medium, 150),
        new("NBXH", ApplicationState.ConditionallyApproved, Profile.Medium, 230), new("NBXH", ApplicationState.Recommended, Profile.Strong, 680),
        // Suspended and revoked: approved earlier, some reapplied.
        new("QFEN", ApplicationState.Approved, Profile.Medium, 160), new("QFEN", ApplicationState.UnderReview, Profile.Weak, 690),
        new("XMHX", ApplicationState.Approved, Profile.Medium, 240), new("XMHX", ApplicationState.InformationRequested, Profile.Weak, 695),
        new("KFEN", ApplicationState.Approved, Profile.Medium, 170), new("KFEN", ApplicationState.Rejected, Profile.KnockedOut, 620),
        new("TJDF", ApplicationState.Approved, Profile.Medium, 250), new("TJDF", ApplicationState.Rejected, Profile.Weak, 630),
        // Applicants.
        new("PDJF", ApplicationState.Withdrawn, Profile.Weak, 120), new("PDJF", ApplicationState.Rejected, Profile.Weak, 300), new("PDJF", ApplicationState.Recommended, Profile.Strong, 700),
        new("HXFD", ApplicationState.Rejected, Profile.KnockedOut, 260), new("HXFD", ApplicationState.Withdrawn, Profile.Medium, 400), new("HXFD", ApplicationState.InformationRequested, Profile.Medium, 705),
        new("YNHT", ApplicationState.Rejected, Profile.Weak, 280), new("YNHT", ApplicationState.Withdrawn, Profile.Weak, 450), new("YNHT", ApplicationState.Submitted, Profile.KnockedOut, 710),
        // More history for the queue.
        new("HBXY", ApplicationState.Withdrawn, Profile.Strong, 40), new("FQLE", ApplicationState.Rejected, Profile.KnockedOut, 50),
        new("WZCB", ApplicationState.Rejected, Profile.Medium, 80), new("MSXF", ApplicationState.Rejected, Profile.Weak, 110),
        new("QFEN", ApplicationState.Rejected, Profile.Weak, 90), new("ZSXJ", ApplicationState.Rejected, Profile.KnockedOut, 60),
        // A revoked platform reapplies; an approver proposes to approve against the scorecard, awaiting a second approver.
        new("TJDF", ApplicationState.OverridePending, Profile.KnockedOut, 715),
    ];

    public static ApplicationInputs Inputs(Profile profile, Platform platform, int salt)
    {
        var jitter = (salt % 7) / 10m; // 0.0 .. 0.6, keeps the figures varied but deterministic
        var capital = Math.Max(platform.RegisteredCapital, platform.LendsAcrossProvinces ? 5_000_000_000m : 1_000_000_000m);
        var inputs = profile switch
        {
            Profile.Strong => new ApplicationInputs
            {
                NetAssets = 6_000_000_000m, ActiveBorrowers = 5_000_000 + salt * 10_000, RiskControlStaff = 800, DefaultRate90Pct = 1.2m + jitter,
                YearsOperating = 8, SystemAvailabilityPct = 99.98m, ComplaintsPer10kBorrowers = 1.5m, LoanBalance = 60_000_000_000m, LoanBalancePriorYear = 50_000_000_000m,
                FundingOwnFundsPct = 35, FundingBankCoLendingPct = 30, FundingAbsPct = 25, FundingOtherInstitutionsPct = 10, OwnShareOfCoLentLoansPct = 35,
                CreditReportingConnected = true, SecurityCertified = true, RiskEducationProgramme = true, MaxLoanPerBorrower = 200_000m,
            },
            Profile.Medium => new ApplicationInputs
            {
                NetAssets = 2_000_000_000m, ActiveBorrowers = 1_500_000 + salt * 5_000, RiskControlStaff = 90, DefaultRate90Pct = 3.2m + jitter,
                YearsOperating = 4, SystemAvailabilityPct = 99.9m, ComplaintsPer10kBorrowers = 5m, LoanBalance = 11_000_000_000m, LoanBalancePriorYear = 10_000_000_000m,
                FundingOwnFundsPct = 40, FundingBankCoLendingPct = 60, OwnShareOfCoLentLoansPct = 30,
                CreditReportingConnected = true, SecurityCertified = true, RiskEducationProgramme = true, MaxLoanPerBorrower = 200_000m,
            },
            Profile.Weak => new ApplicationInputs
            {
                NetAssets = 1_100_000_000m, ActiveBorrowers = 300_000 + salt * 1_000, RiskControlStaff = 6, DefaultRate90Pct = 7.5m + jitter,
                YearsOperating = 2, SystemAvailabilityPct = 99.5m, ComplaintsPer10kBorrowers = 12m, LoanBalance = 1_900_000_000m, LoanBalancePriorYear = 2_000_000_000m,
                FundingBankCoLendingPct = 100, OwnShareOfCoLentLoansPct = 30,
                CreditReportingConnected = true, SecurityCertified = true, RiskEducationProgramme = false, MaxLoanPerBorrower = 250_000m,
            },
            _ => new ApplicationInputs
            {
                NetAssets = 1_500_000_000m, ActiveBorrowers = 900_000 + salt * 1_000, RiskControlStaff = 40, DefaultRate90Pct = 4.1m + jitter,
                YearsOperating = 3, SystemAvailabilityPct = 99.8m, ComplaintsPer10kBorrowers = 7m, LoanBalance = 6_000_000_000m, LoanBalancePriorYear = 4_000_000_000m,
                FundingOwnFundsPct = 20, FundingBankCoLendingPct = 80, OwnShareOfCoLentLoansPct = 20,
                CreditReportingConnected = true, SecurityCertified = false, RiskEducationProgramme = false, MaxLoanPerBorrower = 500_000m,
            },
        };

        inputs.RegisteredCapital = capital;
        inputs.PaidInCapital = profile == Profile.KnockedOut ? capital * 0.6m : capital;
        inputs.NonStandardFinancing = inputs.NetAssets * 0.5m;
        inputs.BondsAndAbsOutstanding = inputs.NetAssets * (profile == Profile.KnockedOut ? 5m : 2m);
        inputs.LendsOutsideHomeProvince = platform.LendsAcrossProvinces;
        inputs.BusinessPlan = $"{platform.LegalName} offers {(platform.Kind == PlatformKind.EcommerceEcosystem ? "installment credit at checkout on its shopping platform" : "online consumer installment loans")} " +
            "to verified customers, funded through the channels listed, with credit decisions based on transaction history and the credit-reporting system.";
        return inputs;
    }

    public static async Task SeedAsync(IPortalDb db, IReadOnlyDictionary<string, Staff> staff, CancellationToken ct)
    {
        var scorecard = new ScorecardVersion
        {
            Number = 1,
            Name = "2020 Interim Measures defaults",
            Status = ScorecardStatus.Active,
            Definition = ScorecardDefaults.Definition,
            CreatedBy = "system (demo seed)",
            CreatedUtc = DemoSeeder.Epoch,
            ActivatedUtc = DemoSeeder.Epoch,
        };
        db.ScorecardVersions.Add(scorecard);
        await db.SaveChangesAsync(ct);

        var platforms = await db.Platforms.ToDictionaryAsync(p => p.Code, ct);
        for (var n = 0; n < Specs.Count; n++)
        {
            var spec = Specs[n];
            var platform = platforms[spec.Code];
            var reviewer = platform.Province == "Guangdong" ? staff["reviewer.gd"] : staff["reviewer"];
            db.AccessApplications.Add(Build(spec, n, platform, reviewer, staff["approver"]));
        }

        await db.SaveChangesAsync(ct);

        // Versions and scorings reference each other by id: add scorings once versions have theirs.
        var apps = await db.AccessApplications.Include(a => a.Versions).Include(a => a.Transitions).OrderBy(a => a.Id).AsSplitQuery().ToListAsync(ct);
        foreach (var app in apps)
        {
            var scored = app.Transitions.Any(t => t.ToState == ApplicationState.Recommended) || app.State == ApplicationState.UnderReview && app.Id % 2 == 0;
            if (!scored)
            {
                continue;
            }

            var version = app.Versions.OrderByDescending(v => v.Number).First();
            db.Scorings.Add(ScorecardEngine.Score(app, version, scorecard, app.ReviewerName!, version.SubmittedUtc.AddDays(5)));
        }

        await db.SaveChangesAsync(ct);
    }

    private static AccessApplication Build(Spec spec, int n, Platform platform, Staff reviewer, Staff approver)
    {
        var created = DemoSeeder.Epoch.AddDays(spec.Day);
        var inputs = Inputs(spec.Profile, platform, n);
        var app = new AccessApplication
        {
            PlatformId = platform.Id,
            Reference = $"MA-{created.Year}-{n + 1:D4}",
            State = spec.State,
            Inputs = inputs,
            CreatedBy = $"operator ({platform.Code})",
            CreatedUtc = created,
            UpdatedUtc = created,
        };

        var time = created;
        void Step(ApplicationState? from, ApplicationState to, string actor, string role, string comment, int days = 3)
        {
            time = time.AddDays(days);
            app.Transitions.Add(new ApplicationTransition { PlatformId = platform.Id, FromState = from, ToState = to, Actor = actor, ActorRole = role, TimeUtc = time, Comment = comment });
            app.UpdatedUtc = time;
        }

        void Version(string? note) => app.Versions.Add(new ApplicationVersion
        {
            PlatformId = platform.Id, Number = app.Versions.Count + 1, Inputs = inputs.Clone(), SubmittedBy = app.CreatedBy, SubmittedUtc = time, Note = note,
        });

        Step(null, ApplicationState.Draft, app.CreatedBy, Roles.Operator, "Draft started.", 0);
        if (spec.State == ApplicationState.Draft)
        {
            return app;
        }

        Step(ApplicationState.Draft, ApplicationState.Submitted, app.CreatedBy, Roles.Operator, "Submitted for review.");
        app.SubmittedUtc = time;
        Version(null);
        if (spec.State == ApplicationState.Withdrawn)
        {
            Step(ApplicationState.Submitted, ApplicationState.Withdrawn, app.CreatedBy, Roles.Operator, "Withdrawn to restructure the funding mix before reapplying.");
            return app;
        }

        if (spec.State == ApplicationState.Submitted)
        {
            return app;
        }

        Step(ApplicationState.Submitted, ApplicationState.UnderReview, reviewer.Name, Roles.Reviewer, $"Assigned to {reviewer.Name}.");
        app.ReviewerId = reviewer.Id;
        app.ReviewerName = reviewer.Name;
        if (spec.State == ApplicationState.UnderReview)
        {
            return app;
        }

        const string question = "Please provide the audited 12-month default-rate series and the co-lending agreements with your bank partners.";
        Step(ApplicationState.UnderReview, ApplicationState.InformationRequested, reviewer.Name, Roles.Reviewer, question);
        if (spec.State == ApplicationState.InformationRequested)
        {
            app.OpenQuestion = question;
            return app;
        }

        Step(ApplicationState.InformationRequested, ApplicationState.UnderReview, app.CreatedBy, Roles.Operator, "Series and agreements attached; figures confirmed.");
        Version("Series and agreements attached; figures confirmed.");
        var note = spec.Profile switch
        {
            Profile.Strong => "Strong risk control and diversified funding; recommend approval.",
            Profile.Medium => "Adequate, but funding is concentrated; recommend approval with conditions.",
            Profile.Weak => "Default rate and complaint levels too high; recommend rejection.",
            _ => "Fails the capital and co-lending knock-outs; recommend rejection.",
        };
        Step(ApplicationState.UnderReview, ApplicationState.Recommended, reviewer.Name, Roles.Reviewer, note, 7);
        app.Recommendation = note;
        app.RecommendedDecision = spec.Profile switch
        {
            Profile.Strong => Decision.Approve,
            Profile.Medium => Decision.ApproveWithConditions,
            _ => Decision.Reject,
        };
        app.Officials.Reviewer = reviewer.Official;
        if (spec.State == ApplicationState.Recommended)
        {
            return app;
        }

        if (spec.State == ApplicationState.OverridePending)
        {
            const string justification = "The capital increase to RMB 1.2 bn was paid in after the scoring (bank confirmation attached); the knock-outs reflect the superseded balance sheet.";
            Step(ApplicationState.Recommended, ApplicationState.OverridePending, approver.Name, Roles.Approver,
                $"Proposes to approve against the scorecard (system result: reject, band Fail). Justification: {justification}", 2);
            app.PendingDecision = Decision.Approve;
            app.OverrideJustification = justification;
            app.DeciderId = approver.Id;
            app.DeciderName = approver.Official.Name;
            app.Officials.Decider = approver.Official;
            app.DecisionReasons = "Capital now meets the threshold; the remaining criteria are adequate.";
            return app;
        }

        var reasons = spec.State switch
        {
            ApplicationState.Approved => "Meets every knock-out and scores in band A or B; the platform may lend under its licence.",
            ApplicationState.ConditionallyApproved => "Meets the knock-outs; band B. Approval subject to the conditions below.",
            _ => "Does not meet the market-access threshold; see the scoring breakdown.",
        };
        Step(ApplicationState.Recommended, spec.State, approver.Name, Roles.Approver, reasons, 5);
        app.DeciderId = approver.Id;
        app.DeciderName = approver.Official.Name;
        app.Officials.Decider = approver.Official;
        app.DecidedUtc = time;
        app.DecisionReasons = reasons;
        app.Conditions = spec.State == ApplicationState.ConditionallyApproved
            ?
            [
                new DecisionCondition("Reduce the largest funding channel below 60 % of the loan balance.", DateOnly.FromDateTime(time).AddMonths(12)),
                new DecisionCondition("Report the 90+ DPD default rate to the authority every quarter.", DateOnly.FromDateTime(time).AddMonths(3)),
            ]
            : [];
        app.DecisionConditions = Application.Features.Applications.DecisionInput.Summarise(app.Conditions);
        return app;
    }

    /// <summary>A regulator account as the seed uses it: id, user name (the actor in histories) and the official on letters.</summary>
    public sealed record Staff(string Id, string Name, Official Official);
}
