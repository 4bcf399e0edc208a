using FinancePortal.Web.Security;

namespace FinancePortal.IntegrationTests.Authorization;

/// <summary>Who asks: the six roles (each as its national demo user) and an anonymous visitor.</summary>
public enum Audience
{
    Admin,
    Reviewer,
    Approver,
    RiskOfficer,
    Analyst,
    Operator,
    Anonymous,
}

/// <summary>What the matrix declares for one audience on one route.</summary>
public enum Access
{
    /// <summary>The request passes authorization and gets the entry's success status (pages: 200, prerendered).</summary>
    Allowed,

    /// <summary>Signed in: redirect to /Account/AccessDenied. Anonymous: redirect to /Account/Login.</summary>
    Denied,
}

/// <summary>How the route comes into being, which decides how <see cref="AuthorizationMatrixTests"/> finds it.</summary>
public enum RouteKind
{
    /// <summary>A routable Razor component ([Route] / @page), prerendered on GET.</summary>
    Page,

    /// <summary>A minimal-API endpoint of the portal (downloads, sign-out, culture).</summary>
    Endpoint,

    /// <summary>An endpoint the framework maps (Blazor hub, opaque redirect, file fallback); no policy of its own.</summary>
    Framework,

    /// <summary>Every endpoint of <c>MapStaticAssets()</c> (one row for all of them; they carry StaticAssetDescriptor).</summary>
    StaticAssets,

    /// <summary>The filing API under /api/v1 (bearer token or cookie): Denied is 401 (anonymous) or 403, never a redirect.</summary>
    Api,

    /// <summary>Middleware on a fixed path before routing (not in the endpoint data source): checked over HTTP only.</summary>
    Middleware,
}

/// <summary>
/// One row: a route (as written in @page / the endpoint's route pattern), the method probed, the policy it must carry,
/// the path that is requested (placeholders in braces are demo ids, see <see cref="DemoIds"/>), the status an allowed
/// request gets, and the outcome for each <see cref="Audience"/> in enum order.
/// </summary>
public sealed record MatrixEntry(RouteKind Kind, string Method, string Route, string Policy, string Probe, int Success, IReadOnlyList<Access> Outcomes)
{
    public string Key => $"{Method} {Route}";

    public Access? For(Audience audience) => (int)audience < Outcomes.Count ? Outcomes[(int)audience] : null;

    public override string ToString() => Key;
}

/// <summary>
/// THE authorization matrix of the portal: every page and endpoint x every role and anonymous. Enforced by
/// <see cref="AuthorizationMatrixTests"/> (a route without a row, or a row without a route, fails; every cell is
/// requested over HTTP as the demo user of that role) and documented in docs/security.md.
/// Roles are probed with their national demo users (admin@, reviewer@, approver@, risk@, analyst@, operator@ = JDBT);
/// ids in probes are entities of JDBT, which every one of them may see. Data scope (another platform's id) is the
/// business of <see cref="IdorProbeTests"/>.
/// </summary>
public static class AuthorizationMatrix
{
    /// <summary>Public: [AllowAnonymous].</summary>
    public const string Public = "(anonymous)";

    /// <summary>No policy of its own: the fallback policy (a signed-in user with one of the six roles) applies.</summary>
    public const string Fallback = "(fallback: SignedIn)";

    /// <summary>The API group's policy plus the endpoint's own (filing and signing are the Operator's).</summary>
    private const string SignedInOperator = Policies.SignedIn + " + " + Policies.Operator;

    private const Access Y = Access.Allowed;
    private const Access N = Access.Denied;

    public static readonly IReadOnlyList<MatrixEntry> Entries =
    [
        //                                                                                                         Admin Revw Appr Risk Anal Oper Anon
        Page("/", Policies.SignedIn, "/",                                                                            Y, Y, Y, Y, Y, Y, N),
        Page("/Account/Login", Public, "/Account/Login",                                                            Y, Y, Y, Y, Y, Y, Y),
        Page("/Account/Lockout", Public, "/Account/Lockout",                                                        Y, Y, Y, Y, Y, Y, Y),
        Page("/Account/AccessDenied", Public, "/Account/AccessDenied",                                              Y, Y, Y, Y, Y, Y, Y),
        Page("/Error", Public, "/Error",                                                                            Y, Y, Y, Y, Y, Y, Y),
        Page("/not-found", Policies.SignedIn, "/not-found",                                                         Y, Y, Y, Y, Y, Y, N),
        Page("/platforms", Policies.SignedIn, "/platforms",                                                         Y, Y, Y, Y, Y, Y, N),
        Page("/platforms/{Id:int}", Policies.SignedIn, "/platforms/{platform}",                                     Y, Y, Y, Y, Y, Y, N),
        Page("/applications", Policies.SignedIn, "/applications",                                                   Y, Y, Y, Y, Y, Y, N),
        Page("/applications/{Id:int}", Policies.SignedIn, "/applications/{application}",                            Y, Y, Y, Y, Y, Y, N),
        Page("/applications/{Id:int}/letter", Policies.SignedIn, "/applications/{decidedApplication}/letter",        Y, Y, Y, Y, Y, Y, N),
        Page("/scorecards", Policies.Regulator, "/scorecards",                                                      Y, Y, Y, Y, Y, N, N),
        Page("/scorecards/{Id:int}", Policies.Regulator, "/scorecards/{scorecard}",                                 Y, Y, Y, Y, Y, N, N),
        Page("/submissions", Policies.SignedIn, "/submissions",                                                     Y, Y, Y, Y, Y, Y, N),
        Page("/submissions/{Id:long}", Policies.SignedIn, "/submissions/{submission}",                              Y, Y, Y, Y, Y, Y, N),
        Page("/submissions/{Id:long}/receipt", Policies.SignedIn, "/submissions/{submission}/receipt",              Y, Y, Y, Y, Y, Y, N),
        Page("/monitoring", Policies.MonitoringReader, "/monitoring",                                               Y, N, Y, Y, Y, Y, N),
        Page("/monitoring/platforms/{PlatformId:int}", Policies.MonitoringReader, "/monitoring/platforms/{platform}", Y, N, Y, Y, Y, Y, N),
        Page("/rectifications/{Id:long}", Policies.MonitoringReader, "/rectifications/{rectification}",             Y, N, Y, Y, Y, Y, N),
        Page("/alerts", Policies.AlertReader, "/alerts",                                                            Y, N, Y, Y, Y, N, N),
        Page("/alerts/{Id:long}", Policies.AlertReader, "/alerts/{alert}",                                          Y, N, Y, Y, Y, N, N),
        Page("/reports", Policies.ReportBuilder, "/reports",                                                        N, N, N, Y, Y, N, N),
        Page("/extracts", Policies.Extracts, "/extracts",                                                           N, N, N, Y, Y, Y, N),
        Page("/audit", Policies.AuditReader, "/audit",                                                              Y, N, N, N, Y, N, N),
        Page("/api-tokens", Policies.ApiTokens, "/api-tokens",                                                      Y, N, N, N, Y, Y, N),
        Page("/admin/users", Policies.Admin, "/admin/users",                                                        Y, N, N, N, N, N, N),
        Page("/admin/platforms/new", Policies.Admin, "/admin/platforms/new",                                        Y, N, N, N, N, N, N),
        Page("/admin/platforms/{Id:int}/edit", Policies.Admin, "/admin/platforms/{platform}/edit",                  Y, N, N, N, N, N, N),
        Page("/admin/alert-thresholds", Policies.Admin, "/admin/alert-thresholds",                                  Y, N, N, N, N, N, N),

        // Downloads: a role that passes the policy still gets 404 for an id outside its data scope (IdorProbeTests).
        Endpoint("GET", "/documents/{id:long}", Policies.SignedIn, "/documents/{document}", 200,                    Y, Y, Y, Y, Y, Y, N),
        Endpoint("GET", "/submissions/{id:long}/file", Policies.SignedIn, "/submissions/{submission}/file", 200,    Y, Y, Y, Y, Y, Y, N),
        Endpoint("GET", "/submissions/{id:long}/errors.xlsx", Policies.SignedIn, "/submissions/{submission}/errors.xlsx", 200, Y, Y, Y, Y, Y, Y, N),
        Endpoint("GET", "/submissions/{id:long}/receipt.html", Policies.SignedIn, "/submissions/{submission}/receipt.html", 200, Y, Y, Y, Y, Y, Y, N),
        Endpoint("GET", "/rectifications/attachments/{id:long}", Policies.MonitoringReader, "/rectifications/attachments/{rectificationAttachment}", 200, Y, N, Y, Y, Y, Y, N),
        Endpoint("GET", "/reports/{id:long}/file", Policies.ReportBuilder, "/reports/{report}/file", 200,           N, N, N, Y, Y, N, N),
        // Exports stream the grid's rows under the grid page's policy; the services apply the data scope (IdorProbeTests, Exports tests).
        Endpoint("GET", "/exports/loans", Policies.Extracts, "/exports/loans?format=csv&month=2026-10&platformId={platform}", 200, N, N, N, Y, Y, Y, N),
        Endpoint("GET", "/exports/applications", Policies.SignedIn, "/exports/applications?format=csv", 200,         Y, Y, Y, Y, Y, Y, N),
        Endpoint("GET", "/exports/findings", Policies.SignedIn, "/exports/findings?format=csv&submissionId={submission}", 200, Y, Y, Y, Y, Y, Y, N),
        Endpoint("GET", "/exports/alerts", Policies.AlertReader, "/exports/alerts?format=csv", 200,                 Y, N, Y, Y, Y, N, N),
        Endpoint("GET", "/exports/audit", Policies.AuditReader, "/exports/audit?format=csv", 200,                   Y, N, N, N, Y, N, N),
        Endpoint("GET", "/exports/dashboard", Policies.MonitoringReader, "/exports/dashboard?format=csv", 200,      Y, N, Y, Y, Y, Y, N),
        Endpoint("GET", "/exports/peers", Policies.MonitoringReader, "/exports/peers?format=csv", 200,              Y, N, Y, Y, Y, Y, N),
        Endpoint("GET", "/exports/roll-rates", Policies.MonitoringReader, "/exports/roll-rates?format=csv", 200,    Y, N, Y, Y, Y, Y, N),
        // Sign-out redirects to the sign-in page; the anonymous post is challenged before its antiforgery check.
        Endpoint("POST", "/Account/Logout", Policies.SignedIn, "/Account/Logout", 302,                              Y, Y, Y, Y, Y, Y, N),
        Endpoint("POST", "/Account/LogoutEverywhere", Policies.SignedIn, "/Account/LogoutEverywhere", 302,          Y, Y, Y, Y, Y, Y, N),
        Endpoint("GET", "/culture/set", Public, "/culture/set?culture=en&redirectUri=%2F", 302,                     Y, Y, Y, Y, Y, Y, Y),

        // The filing API (docs/api.md): the same services and data scope as the pages; here probed with the cookie.
        new(RouteKind.Api, "GET", "/api/v1/filings", Policies.SignedIn, "/api/v1/filings", 200,                     [Y, Y, Y, Y, Y, Y, N]),
        // Filing by an Operator only; the probes send an empty text/plain body, which the endpoint refuses (415), or confirm
        // the signed demo submission, which has no warnings to confirm (400): both have passed authorization.
        new(RouteKind.Api, "POST", "/api/v1/filings/{period}/submissions", SignedInOperator, "/api/v1/filings/2026-10/submissions?fileName=probe.csv", 415, [N, N, N, N, N, Y, N]),
        new(RouteKind.Api, "GET", "/api/v1/submissions/{id:long}", Policies.SignedIn, "/api/v1/submissions/{submission}", 200, [Y, Y, Y, Y, Y, Y, N]),
        new(RouteKind.Api, "GET", "/api/v1/submissions/{id:long}/findings", Policies.SignedIn, "/api/v1/submissions/{submission}/findings", 200, [Y, Y, Y, Y, Y, Y, N]),
        new(RouteKind.Api, "GET", "/api/v1/submissions/{id:long}/errors.xlsx", Policies.SignedIn, "/api/v1/submissions/{submission}/errors.xlsx", 200, [Y, Y, Y, Y, Y, Y, N]),
        new(RouteKind.Api, "GET", "/api/v1/submissions/{id:long}/errors.csv", Policies.SignedIn, "/api/v1/submissions/{submission}/errors.csv", 200, [Y, Y, Y, Y, Y, Y, N]),
        new(RouteKind.Api, "GET", "/api/v1/submissions/{id:long}/file", Policies.SignedIn, "/api/v1/submissions/{submission}/file", 200, [Y, Y, Y, Y, Y, Y, N]),
        new(RouteKind.Api, "GET", "/api/v1/submissions/{id:long}/receipt", Policies.SignedIn, "/api/v1/submissions/{submission}/receipt", 200, [Y, Y, Y, Y, Y, Y, N]),
        new(RouteKind.Api, "POST", "/api/v1/submissions/{id:long}/confirm", SignedInOperator, "/api/v1/submissions/{submission}/confirm", 400, [N, N, N, N, N, Y, N]),
        new(RouteKind.Api, "POST", "/api/v1/submissions/{id:long}/sign", SignedInOperator, "/api/v1/submissions/{submission}/sign", 415, [N, N, N, N, N, Y, N]),

        // The framework's own endpoints fall under the fallback policy. A signed-in request without a circuit gets the
        // framework's answer (the status below); what matters is that anonymous requests never reach it.
        Framework("POST", "/_blazor/negotiate", "/_blazor/negotiate?negotiateVersion=1", 200,                      Y, Y, Y, Y, Y, Y, N),
        Framework("GET", "/_blazor", "/_blazor", 400,                                                               Y, Y, Y, Y, Y, Y, N),
        Framework("POST", "/_blazor/disconnect/", "/_blazor/disconnect/", 400,                                      Y, Y, Y, Y, Y, Y, N),
        Framework("GET", "/_blazor/initializers/", "/_blazor/initializers/", 200,                                   Y, Y, Y, Y, Y, Y, N),
        Framework("GET", "/_framework/opaque-redirect", "/_framework/opaque-redirect", 400,                         Y, Y, Y, Y, Y, Y, N),
        Framework("GET", "{**path:file}", "/no-such-file.txt", 404,                                                 Y, Y, Y, Y, Y, Y, N),
        new(RouteKind.StaticAssets, "GET", "(static assets)", Public, "/_framework/blazor.web.js", 200,             [Y, Y, Y, Y, Y, Y, Y]),

        // Before routing: health for load balancers, brand assets for the sign-in page.
        new(RouteKind.Middleware, "GET", "/health", Public, "/health", 200,                                        [Y, Y, Y, Y, Y, Y, Y]),
        new(RouteKind.Middleware, "GET", "/brand/{file}", Public, "/brand/portal.css", 200,                         [Y, Y, Y, Y, Y, Y, Y]),
    ];

    /// <summary>The matrix as the Markdown table kept in docs/security.md (between the authorization-matrix markers).</summary>
    public static string Markdown()
    {
        var audiences = Enum.GetValues<Audience>();
        var text = new System.Text.StringBuilder();
        text.Append("| route | kind | policy | ").AppendJoin(" | ", audiences).Append(" |\n");
        text.Append("|---|---|---|").Append(string.Concat(audiences.Select(_ => ":-:|"))).Append('\n');
        foreach (var e in Entries)
        {
            var policy = e.Policy switch { Public => "anonymous", Fallback => "fallback (SignedIn)", _ => e.Policy };
            text.Append($"| {e.Method} `{e.Route}` | {e.Kind} | {policy} | ")
                .AppendJoin(" | ", audiences.Select(a => e.For(a) switch { Access.Allowed => "✓", Access.Denied => "–", _ => "?" }))
                .Append(" |\n");
        }

        return text.ToString();
    }

    private static MatrixEntry Page(string route, string policy, string probe, params Access[] outcomes) =>
        new(RouteKind.Page, "GET", route, policy, probe, 200, outcomes);

    private static MatrixEntry Endpoint(string method, string route, string policy, string probe, int success, params Access[] outcomes) =>
        new(RouteKind.Endpoint, method, route, policy, probe, success, outcomes);

    private static MatrixEntry Framework(string method, string route, string probe, int success, params Access[] outcomes) =>
        new(RouteKind.Framework, method, route, Fallback, probe, success, outcomes);
}
