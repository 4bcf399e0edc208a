namespace FinancePortal.Application.Domain;

/// <summary>The six roles of DOMAIN.md §1.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Reviewer = "Reviewer";
    public const string Approver = "Approver";
    public const string RiskOfficer = "RiskOfficer";
    public const string Analyst = "Analyst";
    public const string Operator = "Operator";

    public static readonly IReadOnlyList<string> All = [Admin, Reviewer, Approver, RiskOfficer, Analyst, Operator];

    /// <summary>Regulator-side roles (everyone but platform staff).</summary>
    public static readonly IReadOnlyList<string> Regulator = [Admin, Reviewer, Approver, RiskOfficer, Analyst];
}
