using FinancePortal.Infrastructure.Seeding;

namespace FinancePortal.TestSupport;

/// <summary>The demo accounts seeded by <see cref="DemoSeeder"/>.</summary>
public static class DemoUsers
{
    public const string Password = "Demo!Portal2026";
    public const string Admin = "admin@" + DemoSeeder.EmailDomain;
    public const string Reviewer = "reviewer@" + DemoSeeder.EmailDomain;
    public const string ReviewerGuangdong = "reviewer.gd@" + DemoSeeder.EmailDomain;
    public const string Approver = "approver@" + DemoSeeder.EmailDomain;

    /// <summary>A second approver, who confirms or declines overrides.</summary>
    public const string Approver2 = "approver2@" + DemoSeeder.EmailDomain;
    public const string RiskOfficer = "risk@" + DemoSeeder.EmailDomain;
    public const string Analyst = "analyst@" + DemoSeeder.EmailDomain;
    public const string Operator = "operator@" + DemoSeeder.EmailDomain;
    public const string OperatorHbxy = "operator.hbxy@" + DemoSeeder.EmailDomain;
    public const string OperatorQfen = "operator.qfen@" + DemoSeeder.EmailDomain;
}
