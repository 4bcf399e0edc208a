using FinancePortal.Application.Domain;
using Microsoft.AspNetCore.Authorization;

namespace FinancePortal.Web.Security;

/// <summary>Authorization policies. Every page and endpoint names one; the fallback demands <see cref="SignedIn"/>.</summary>
public static class Policies
{
    /// <summary>Any signed-in user holding one of the six roles.</summary>
    public const string SignedIn = nameof(SignedIn);

    public const string Admin = nameof(Admin);

    /// <summary>Regulator-side staff (every role except Operator).</summary>
    public const string Regulator = nameof(Regulator);

    /// <summary>May search and export the audit log: Admin, Analyst.</summary>
    public const string AuditReader = nameof(AuditReader);

    public const string Approver = nameof(Approver);

    public const string Operator = nameof(Operator);

    /// <summary>Risk dashboards: RiskOfficer, Analyst, Approver, Admin, and Operators for their own platform.</summary>
    public const string MonitoringReader = nameof(MonitoringReader);

    /// <summary>The alert inbox and supervisory actions (read): RiskOfficer, Analyst, Approver, Admin.</summary>
    public const string AlertReader = nameof(AlertReader);

    /// <summary>Works alerts, records supervisory actions, keeps the watch list.</summary>
    public const string RiskOfficer = nameof(RiskOfficer);

    /// <summary>Builds and downloads the monthly supervision report: Analyst, RiskOfficer.</summary>
    public const string ReportBuilder = nameof(ReportBuilder);

    /// <summary>Loan-level extracts: RiskOfficer, Analyst (their scope), Operator (own platform).</summary>
    public const string Extracts = nameof(Extracts);

    /// <summary>API tokens: Operators and Analysts make their own; an Admin lists and revokes everyone's.</summary>
    public const string ApiTokens = nameof(ApiTokens);

    public static void Configure(AuthorizationOptions options)
    {
        var signedIn = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.All).Build();
        options.AddPolicy(SignedIn, signedIn);
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(Regulator, p => p.RequireAuthenticatedUser().RequireRole(Roles.Regulator));
        options.AddPolicy(AuditReader, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Analyst));
        options.AddPolicy(Approver, p => p.RequireAuthenticatedUser().RequireRole(Roles.Approver));
        options.AddPolicy(Operator, p => p.RequireAuthenticatedUser().RequireRole(Roles.Operator));
        options.AddPolicy(MonitoringReader, p => p.RequireAuthenticatedUser().RequireRole(Roles.RiskOfficer, Roles.Analyst, Roles.Approver, Roles.Admin, Roles.Operator));
        options.AddPolicy(AlertReader, p => p.RequireAuthenticatedUser().RequireRole(Roles.RiskOfficer, Roles.Analyst, Roles.Approver, Roles.Admin));
        options.AddPolicy(RiskOfficer, p => p.RequireAuthenticatedUser().RequireRole(Roles.RiskOfficer));
        options.AddPolicy(ReportBuilder, p => p.RequireAuthenticatedUser().RequireRole(Roles.Analyst, Roles.RiskOfficer));

        options.AddPolicy(Extracts, p => p.RequireAuthenticatedUser().RequireRole(Roles.RiskOfficer, Roles.Analyst, Roles.Operator));

        options.AddPolicy(ApiTokens, p => p.RequireAuthenticatedUser().RequireRole(Roles.Operator, Roles.Analyst, Roles.Admin));

        // Anything without its own policy still needs a signed-in user.
        options.FallbackPolicy = signedIn;
        options.DefaultPolicy = signedIn;
    }
}
