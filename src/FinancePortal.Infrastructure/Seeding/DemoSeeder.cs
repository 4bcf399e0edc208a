using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using System.Diagnostics;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FinancePortal.Infrastructure.Seeding;

/// <summary>
/// Deterministic synthetic demo data: platforms of every kind and licence state with their licence history, and one
/// demo account per role. Runs only into an empty database and only while <c>Seeding:Demo</c> is on.
/// All names are invented.
/// </summary>
public sealed class DemoSeeder(
    IPortalDbFactory dbFactory,
    UserManager<PortalUser> users,
    IFileStore files,
    MetricsRebuilder rebuilder,
    FilingCalendar calendar,
    IOptions<SeedingOptions> options,
    ILogger<DemoSeeder> logger)
{
    public const string EmailDomain = "financeportal.demo";

    /// <summary>
    /// The last month of the demo's loan tapes wherever it is pinned (<c>Seeding:LastLoanTapePeriod</c>): the tests and
    /// the benchmarks, whose expectations name months. The running portal seeds up to the last month that is due.
    /// </summary>
    public const string PinnedLastLoanTapePeriod = "2026-10";

    /// <summary>
    /// The demo API token of JDBT's operator (README, docs/api.md), seeded with the demo data so a newcomer can file a
    /// tape from the shell. Only its SHA-256 is stored, like any token's; it is valid for a year from seeding.
    /// </summary>
    public const string DemoApiToken = "fpt_demo-JDBT-filing-token-for-the-README-00000";

    /// <summary>
    /// The demo's last loan-tape month: the setting, or else the latest closed month at <paramref name="now"/> (the
    /// last month whose filing deadline, <see cref="FilingCalendar"/>, has passed).
    /// </summary>
    public static string LastLoanTapePeriod(SeedingOptions options, FilingCalendar calendar, DateTime now)
    {
        if (!string.IsNullOrWhiteSpace(options.LastLoanTapePeriod))
        {
            return Periods.TryParse(options.LastLoanTapePeriod, out _)
                ? options.LastLoanTapePeriod
                : throw new InvalidOperationException($"Seeding:LastLoanTapePeriod must be YYYY-MM, not \"{options.LastLoanTapePeriod}\".");
        }

        return calendar.LatestClosed(now);
    }

    /// <summary>All demo data is dated from this day so that every run produces the same rows.</summary>
    public static readonly DateTime Epoch = new(2024, 12, 2, 1, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Where the licence histories of the platforms that ever held a licence start. Their licences took effect (and the
    /// revoked ones' ended) before the first month of the demo's loan tapes (2024-11 when pinned, later otherwise), so
    /// the filing calendar requires exactly the months the reporting platforms have tapes for, and nothing of the
    /// revoked platforms, which have none. Applicants keep <see cref="Epoch"/>.
    /// </summary>
    public static readonly DateTime LicenceHistoryStart = new(2022, 10, 3, 1, 0, 0, DateTimeKind.Utc);

    public static readonly IReadOnlyList<DemoPlatform> Platforms =
    [
        new("HBXY", "Hangzhou Huabei Xinyong Microcredit Co., Ltd.", "Zhejiang", true, PlatformKind.EcommerceEcosystem, 12_000_000_000m, LicenceStatus.Licensed),
        new("JDBT", "Beijing Jingbai Consumer Credit Co., Ltd.", "Beijing", true, PlatformKind.EcommerceEcosystem, 8_000_000_000m, LicenceStatus.Licensed),
        new("SNRX", "Nanjing Sunan Renxin Microcredit Co., Ltd.", "Jiangsu", false, PlatformKind.EcommerceEcosystem, 3_000_000_000m, LicenceStatus.ConditionallyLicensed),
        new("PDJF", "Shanghai Pinduo Jinfu Credit Co., Ltd.", "Shanghai", true, PlatformKind.EcommerceEcosystem, 5_000_000_000m, LicenceStatus.Applicant),
        new("FQLE", "Shenzhen Fenqile Installment Services Co., Ltd.", "Guangdong", true, PlatformKind.NetworkInstallment, 6_000_000_000m, LicenceStatus.Licensed),
        new("QFEN", "Guangzhou Qufen Network Installment Co., Ltd.", "Guangdong", false, PlatformKind.NetworkInstallment, 1_200_000_000m, LicenceStatus.Suspended),
        new("KFEN", "Chengdu Kuaifen Installment Co., Ltd.", "Sichuan", false, PlatformKind.NetworkInstallment, 800_000_000m, LicenceStatus.Revoked),
        new("ZSXJ", "Shenzhen Zhaoxin Consumer Finance Co., Ltd.", "Guangdong", true, PlatformKind.ConsumerFinanceCompany, 7_000_000_000m, LicenceStatus.Licensed),
        new("MSXF", "Chongqing Mashang Xiaofei Consumer Finance Co., Ltd.", "Chongqing", true, PlatformKind.ConsumerFinanceCompany, 4_000_000_000m, LicenceStatus.Licensed),
        new("HXFD", "Wuhan Hexin Digital Consumer Finance Co., Ltd.", "Hubei", false, PlatformKind.ConsumerFinanceCompany, 1_500_000_000m, LicenceStatus.Applicant),
        new("WZCB", "Wenzhou Ouhai Commercial Bank Co., Ltd.", "Zhejiang", true, PlatformKind.CommercialBank, 10_000_000_000m, LicenceStatus.Licensed),
        new("NBXH", "Ningbo Xinhe Commercial Bank Co., Ltd.", "Zhejiang", false, PlatformKind.CommercialBank, 2_000_000_000m, LicenceStatus.ConditionallyLicensed),
        new("XMHX", "Xiamen Haixi Rural Commercial Bank Co., Ltd.", "Fujian", false, PlatformKind.CommercialBank, 1_000_000_000m, LicenceStatus.Suspended),
        new("YNHT", "Kunming Huitong Credit Services Co., Ltd.", "Yunnan", false, PlatformKind.Other, 1_000_000_000m, LicenceStatus.Applicant),
        new("TJDF", "Tianjin Dongfang Lease-to-Own Co., Ltd.", "Tianjin", false, PlatformKind.Other, 600_000_000m, LicenceStatus.Revoked),
    ];

    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new($"admin@{EmailDomain}", "Wang Lei", Roles.Admin, null, "", "Portal Administrator"),
        new($"reviewer@{EmailDomain}", "Li Na", Roles.Reviewer, null, "", "Senior Examiner, Market Access Division"),
        new($"reviewer.gd@{EmailDomain}", "Chen Jie", Roles.Reviewer, null, "Guangdong", "Examiner, Guangdong Office"),
        new($"approver@{EmailDomain}", "Zhang Wei", Roles.Approver, null, "", "Director, Market Access Division"),
        new($"approver2@{EmailDomain}", "Qian Fang", Roles.Approver, null, "", "Deputy Director-General, Consumer Credit Supervision"),
        new($"risk@{EmailDomain}", "Liu Yang", Roles.RiskOfficer, null, "", "Risk Supervision Officer"),
        new($"analyst@{EmailDomain}", "Zhao Min", Roles.Analyst, null, "", "Supervisory Analyst"),
        new($"operator@{EmailDomain}", "Sun Hao", Roles.Operator, "JDBT", ""),
        new($"operator.hbxy@{EmailDomain}", "Zhou Ting", Roles.Operator, "HBXY", ""),
        new($"operator.qfen@{EmailDomain}", "Huang Lei", Roles.Operator, "QFEN", ""),
    ];

    public async Task SeedAsync(CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        await using (var db = await dbFactory.CreateForAsync(UserContext.System, ct))
        {
            if (await db.Platforms.AnyAsync(ct))
            {
                logger.LogInformation("Demo seeding skipped: the database already has platforms.");
                return;
            }

            await db.InTransactionAsync(async ct =>
            {
                for (var i = 0; i < Platforms.Count; i++)
                {
                    db.Platforms.Add(Build(Platforms[i], i));
                }

                await db.SaveChangesAsync(ct);
            }, ct);
        }

        await SeedAccountsAsync(ct);
        await SeedApiTokenAsync(ct);
        await using (var db = await dbFactory.CreateForAsync(UserContext.System, ct))
        {
            var staff = new Dictionary<string, DemoApplications.Staff>();
            foreach (var (key, email) in new[] { ("reviewer", $"reviewer@{EmailDomain}"), ("reviewer.gd", $"reviewer.gd@{EmailDomain}"), ("approver", $"approver@{EmailDomain}") })
            {
                var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"Demo account {email} is missing.");
                staff[key] = new DemoApplications.Staff(user.Id, user.UserName!, new Official(user.Id, user.DisplayName, user.JobTitle));
            }

            await db.InTransactionAsync(ct => DemoApplications.SeedAsync(db, staff, ct), ct);
        }

        if (options.Value.LoanTapeScale > 0)
        {
            await using var db = (Data.PortalDbContext)await dbFactory.CreateForAsync(UserContext.System, ct);
            var window = new DemoLoanTapes.Window(LastLoanTapePeriod(options.Value, calendar, db.UtcNow));
            await DemoLoanTapes.SeedAsync(db, files, options.Value.LoanTapeScale, window, ct);
            var risk = await users.FindByEmailAsync($"risk@{EmailDomain}") ?? throw new InvalidOperationException("Demo account risk@ is missing.");
            var monitoring = Stopwatch.StartNew();
            await db.InTransactionAsync(ct => DemoMonitoring.SeedAsync(db, rebuilder, calendar, (risk.Id, risk.DisplayName), window, ct), ct);
            logger.LogInformation("Demo monitoring aggregates and alerts built in {Elapsed} ms.", monitoring.ElapsedMilliseconds);
        }

        logger.LogInformation("Demo data seeded in {Elapsed} ms.", watch.ElapsedMilliseconds);
    }

    private async Task SeedApiTokenAsync(CancellationToken ct)
    {
        var owner = await users.FindByEmailAsync($"operator@{EmailDomain}") ?? throw new InvalidOperationException("Demo account operator@ is missing.");
        await using var db = await dbFactory.CreateForAsync(UserContext.System, ct);
        db.ApiTokens.Add(new ApiToken
        {
            Name = "demo batch job",
            SecretHash = Application.Features.ApiTokens.ApiTokenService.Hash(DemoApiToken),
            Prefix = DemoApiToken[..8],
            CreatedByUserId = owner.Id,
            CreatedByName = owner.DisplayName,
            Role = Roles.Operator,
            PlatformId = owner.PlatformId,
            CreatedUtc = db.UtcNow,
            ExpiresUtc = db.UtcNow.Date.AddDays(Application.Features.ApiTokens.ApiTokenService.MaxLifetimeDays),
        });
        await db.SaveChangesAsync(ct);
    }

    private async Task SeedAccountsAsync(CancellationToken ct)
    {
        Dictionary<string, int> platformIds;
        await using (var db = await dbFactory.CreateForAsync(UserContext.System, ct))
        {
            platformIds = await db.Platforms.ToDictionaryAsync(p => p.Code, p => p.Id, ct);
        }

        foreach (var account in Accounts)
        {
            if (await users.FindByEmailAsync(account.Email) is not null)
            {
                continue;
            }

            var user = new PortalUser
            {
                UserName = account.Email,
                Email = account.Email,
                EmailConfirmed = true,
                DisplayName = account.DisplayName,
                JobTitle = account.JobTitle,
                PlatformId = account.PlatformCode is null ? null : platformIds[account.PlatformCode],
                Provinces = account.Provinces,
                LockoutEnabled = true,
                CreatedUtc = Epoch,
            };
            var created = await users.CreateAsync(user, options.Value.DemoPassword);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Demo account {account.Email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            }

            await users.AddToRoleAsync(user, account.Role);
        }
    }

    private static Platform Build(DemoPlatform spec, int index)
    {
        var created = (spec.Status == LicenceStatus.Applicant ? Epoch : LicenceHistoryStart).AddDays(index * 11);
        var platform = new Platform
        {
            Code = spec.Code,
            LegalName = spec.LegalName,
            Province = spec.Province,
            LendsAcrossProvinces = spec.LendsAcrossProvinces,
            Kind = spec.Kind,
            RegisteredCapital = spec.RegisteredCapital,
            LicenceStatus = spec.Status,
            CreatedUtc = created,
        };

        var history = platform.LicenceHistory;
        void Add(LicenceStatus? from, LicenceStatus to, int days, string reason) =>
            history.Add(new LicenceChange { FromStatus = from, ToStatus = to, ChangedUtc = created.AddDays(days), Reason = reason, Actor = "system (demo seed)" });

        Add(null, LicenceStatus.Applicant, 0, "Platform registered with the portal.");
        switch (spec.Status)
        {
            case LicenceStatus.Licensed:
                Add(LicenceStatus.Applicant, LicenceStatus.Licensed, 95, "Market-access application approved: all knock-outs passed, band A.");
                break;
            case LicenceStatus.ConditionallyLicensed:
                Add(LicenceStatus.Applicant, LicenceStatus.ConditionallyLicensed, 120, "Approved with conditions (band B): diversify funding beyond bank co-lending within 12 months.");
                break;
            case LicenceStatus.Suspended:
                Add(LicenceStatus.Applicant, LicenceStatus.Licensed, 100, "Market-access application approved, band B.");
                Add(LicenceStatus.Licensed, LicenceStatus.Suspended, 520, "90+ DPD default rate above 5% for three consecutive months; rectification ordered.");
                break;
            case LicenceStatus.Revoked:
                Add(LicenceStatus.Applicant, LicenceStatus.Licensed, 110, "Market-access application approved, band B.");
                Add(LicenceStatus.Licensed, LicenceStatus.Suspended, 430, "Own share of co-lent loans below 30%; on-site inspection found unlicensed cross-province lending.");
                Add(LicenceStatus.Suspended, LicenceStatus.Revoked, 600, "Rectification not completed within the deadline.");
                break;
        }

        return platform;
    }
}

public sealed record DemoPlatform(string Code, string LegalName, string Province, bool LendsAcrossProvinces, PlatformKind Kind, decimal RegisteredCapital, LicenceStatus Status);

public sealed record DemoAccount(string Email, string DisplayName, string Role, string? PlatformCode, string Provinces, string JobTitle = "");
