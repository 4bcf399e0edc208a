using FinancePortal.Web.Security;
using MudBlazor;

namespace FinancePortal.Web.Components.Layout;

/// <summary>One navigation entry; <see cref="Policy"/> decides who sees it. <see cref="Label"/> is a resource key.</summary>
public sealed record NavItem(string Href, string Label, string Icon, string Policy, string? Group = null);

/// <summary>The portal's sections. Feature issues add their entries here.</summary>
public static class NavItems
{
    public static readonly IReadOnlyList<NavItem> All =
    [
        new("", "Home", Icons.Material.Filled.Home, Policies.SignedIn),
        new("platforms", "Platforms", Icons.Material.Filled.Storefront, Policies.SignedIn),
        new("applications", "Market access", Icons.Material.Filled.AssignmentTurnedIn, Policies.SignedIn),
        new("scorecards", "Scorecards", Icons.Material.Filled.Rule, Policies.Regulator),
        new("submissions", "Loan tapes", Icons.Material.Filled.UploadFile, Policies.SignedIn),
        new("monitoring", "Risk monitoring", Icons.Material.Filled.QueryStats, Policies.MonitoringReader),
        new("alerts", "Alerts", Icons.Material.Filled.NotificationImportant, Policies.AlertReader),
        new("reports", "Reports", Icons.Material.Filled.Summarize, Policies.ReportBuilder),
        new("extracts", "Loan extracts", Icons.Material.Filled.TableView, Policies.Extracts),
        new("audit", "Audit log", Icons.Material.Filled.ManageSearch, Policies.AuditReader),
        new("api-tokens", "API tokens", Icons.Material.Filled.Key, Policies.ApiTokens),
        new("admin/users", "Users", Icons.Material.Filled.People, Policies.Admin, "Administration"),
        new("admin/platforms/new", "Register a platform", Icons.Material.Filled.AddBusiness, Policies.Admin, "Administration"),
        new("admin/alert-thresholds", "Alert thresholds", Icons.Material.Filled.Tune, Policies.Admin, "Administration"),
    ];
}
