using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using FinancePortal.TestSupport;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Authorization;

/// <summary>One portal for the whole matrix: demo ids arranged once, each demo user signed in once.</summary>
public sealed class MatrixPortal : IAsyncLifetime
{
    private readonly Dictionary<Audience, HttpClient> _clients = [];

    /// <summary>
    /// The probe of POST /Account/LogoutEverywhere renews each demo user's security stamp; the shared sessions below
    /// would end at their next validation, so this portal validates sign-in cookies once an hour only.
    /// </summary>
    public PortalAppFactory Factory { get; } = new()
    {
        ConfigureServices = services => services.Configure<Microsoft.AspNetCore.Identity.SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromHours(1)),
    };

    public DemoIds Ids { get; private set; } = default!;

    public static string EmailOf(Audience audience) => audience switch
    {
        Audience.Admin => DemoUsers.Admin,
        Audience.Reviewer => DemoUsers.Reviewer,
        Audience.Approver => DemoUsers.Approver,
        Audience.RiskOfficer => DemoUsers.RiskOfficer,
        Audience.Analyst => DemoUsers.Analyst,
        Audience.Operator => DemoUsers.Operator,
        _ => throw new ArgumentOutOfRangeException(nameof(audience)),
    };

    public async Task InitializeAsync()
    {
        Ids = await DemoIds.ArrangeAsync(Factory, "JDBT", alertPlatformCode: "QFEN", reportBy: DemoUsers.Analyst, operatorEmail: DemoUsers.Operator);
        _clients[Audience.Anonymous] = Factory.CreatePortalClient();
        foreach (var audience in Enum.GetValues<Audience>().Where(a => a != Audience.Anonymous))
        {
            var client = Factory.CreatePortalClient();
            await client.SignInAsync(EmailOf(audience));
            _clients[audience] = client;
        }
    }

    public HttpClient Client(Audience audience) => _clients[audience];

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>
/// Enforces <see cref="AuthorizationMatrix"/>: every routable component and every endpoint has a row (and every row a
/// route), each row names the policy the route really carries, and every cell holds over HTTP for the demo user of
/// that role.
/// </summary>
public partial class AuthorizationMatrixTests(MatrixPortal portal) : IClassFixture<MatrixPortal>
{
    private static readonly string AllAudiences = string.Join(", ", Enum.GetNames<Audience>());

    public static TheoryData<string, Audience> Cells()
    {
        var data = new TheoryData<string, Audience>();
        foreach (var entry in AuthorizationMatrix.Entries)
        {
            foreach (var audience in Enum.GetValues<Audience>())
            {
                data.Add(entry.Key, audience);
            }
        }

        return data;
    }

    [Fact]
    public void Every_row_has_an_outcome_for_every_role_and_anonymous_and_rows_are_unique()
    {
        var problems = new List<string>();
        foreach (var entry in AuthorizationMatrix.Entries)
        {
            var missing = Enum.GetValues<Audience>().Where(a => entry.For(a) is null).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{entry.Key} has no outcome for {string.Join(", ", missing)} (outcomes are listed in the order {AllAudiences}).");
            }

            if (entry.Outcomes.Count > Enum.GetValues<Audience>().Length)
            {
                problems.Add($"{entry.Key} lists {entry.Outcomes.Count} outcomes; there are {Enum.GetValues<Audience>().Length} audiences ({AllAudiences}).");
            }
        }

        problems.AddRange(AuthorizationMatrix.Entries.GroupBy(e => e.Key).Where(g => g.Count() > 1).Select(g => $"{g.Key} is listed {g.Count()} times."));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_routable_component_has_a_row_and_every_page_row_a_component()
    {
        var templates = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            .ToHashSet(StringComparer.Ordinal);
        var pageRows = AuthorizationMatrix.Entries.Where(e => e.Kind == RouteKind.Page).Select(e => e.Route).ToHashSet(StringComparer.Ordinal);

        var missing = templates.Except(pageRows).Order().Select(MissingRowMessage).ToList();
        var stale = pageRows.Except(templates).Order().Select(r => $"The matrix lists the page {r}, but no component has @page \"{r}\": remove or fix its row.").ToList();

        Assert.True(missing.Count + stale.Count == 0, string.Join(Environment.NewLine, missing.Concat(stale)));
        Assert.True(templates.Count >= 20, $"Only {templates.Count} routable components found: is the reflection looking at the Web assembly?");
    }

    [Fact]
    public void Every_endpoint_has_a_row_naming_its_real_policy_and_every_row_an_endpoint()
    {
        var endpoints = portal.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var problems = new List<string>();
        var used = new HashSet<MatrixEntry>();
        foreach (var endpoint in endpoints)
        {
            var route = endpoint.RoutePattern.RawText ?? "";
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            var policy = PolicyOf(endpoint);
            var entry = endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null
                ? AuthorizationMatrix.Entries.Single(e => e.Kind == RouteKind.StaticAssets)
                : AuthorizationMatrix.Entries.FirstOrDefault(e =>
                    e.Kind is RouteKind.Page or RouteKind.Endpoint or RouteKind.Framework or RouteKind.Api &&
                    e.Route == route && (methods is null || methods.Contains(e.Method, StringComparer.OrdinalIgnoreCase)));
            if (entry is null)
            {
                problems.Add(MissingRowMessage($"{(methods is null ? "*" : string.Join(",", methods))} {route}") + $" It carries the policy {policy}.");
                continue;
            }

            used.Add(entry);
            if (entry.Policy != policy)
            {
                problems.Add($"{entry.Key}: the matrix says the policy is {entry.Policy}, the endpoint carries {policy}.");
            }
        }

        foreach (var stale in AuthorizationMatrix.Entries.Where(e => e.Kind != RouteKind.Middleware).Except(used))
        {
            problems.Add($"The matrix lists {stale.Key} ({stale.Kind}), but no endpoint has that route and method: remove or fix its row.");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_table_in_docs_security_md_is_the_matrix()
    {
        const string start = "<!-- authorization-matrix:start -->";
        const string end = "<!-- authorization-matrix:end -->";
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FinancePortal.sln")))
        {
            dir = dir.Parent;
        }

        var doc = File.ReadAllText(Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("Repository root not found."), "docs", "security.md")).ReplaceLineEndings("\n");
        var from = doc.IndexOf(start, StringComparison.Ordinal);
        var to = doc.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"docs/security.md needs the matrix between {start} and {end}.");
        var table = doc[(from + start.Length)..to].Trim('\n') + "\n";
        Assert.True(table == AuthorizationMatrix.Markdown(), "docs/security.md does not show the current matrix. Replace the table between the markers with:\n" + AuthorizationMatrix.Markdown());
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_cell_of_the_matrix_holds_over_HTTP(string key, Audience audience)
    {
        var entry = AuthorizationMatrix.Entries.Single(e => e.Key == key);
        var expected = entry.For(audience) ?? throw new InvalidOperationException($"{key} has no outcome for {audience}.");
        var path = portal.Ids.Resolve(entry.Probe);

        using var response = await SendAsync(entry, audience, path);
        var location = response.Headers.Location?.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal) ?? "";
        var what = $"{audience} {entry.Method} {path} ({entry.Key}, policy {entry.Policy}) gave {(int)response.StatusCode} {location}";

        if (expected == Access.Allowed)
        {
            Assert.True((int)response.StatusCode == entry.Success, $"{what}; the matrix says Allowed ({entry.Success}).");
            Assert.DoesNotMatch("^/Account/(Login|AccessDenied)\\?", location);
        }
        else if (entry.Kind == RouteKind.Api)
        {
            // The API never redirects: 401 without a (valid) credential, 403 for a role the policy leaves out.
            var status = audience == Audience.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
            Assert.True(response.StatusCode == status && location.Length == 0, $"{what}; the matrix says Denied ({(int)status}, no redirect).");
        }
        else if (audience == Audience.Anonymous)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && location.StartsWith("/Account/Login?", StringComparison.Ordinal), $"{what}; the matrix says Denied (redirect to sign in).");
        }
        else
        {
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && location.StartsWith("/Account/AccessDenied?", StringComparison.Ordinal), $"{what}; the matrix says Denied (redirect to access denied).");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(MatrixEntry entry, Audience audience, string path)
    {
        if (entry.Key is "POST /Account/Logout" or "POST /Account/LogoutEverywhere" && audience != Audience.Anonymous)
        {
            // Signing out ends the session: use a session of its own, with the antiforgery token of a page.
            var client = portal.Factory.CreatePortalClient();
            await client.SignInAsync(MatrixPortal.EmailOf(audience));
            var home = await client.GetStringAsync("/");
            var token = AntiforgeryField().Match(home).Groups[1].Value;
            return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }));
        }

        using var request = new HttpRequestMessage(new HttpMethod(entry.Method), path);
        if (entry.Method == "POST")
        {
            request.Content = new StringContent("");
        }

        return await portal.Client(audience).SendAsync(request);
    }

    private static string PolicyOf(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return AuthorizationMatrix.Public;
        }

        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "(default)").Distinct().ToList();
        return policies.Count == 0 ? AuthorizationMatrix.Fallback : string.Join(" + ", policies);
    }

    private static string MissingRowMessage(string route) =>
        $"No authorization-matrix row for {route}. Add one to AuthorizationMatrix.Entries " +
        $"(tests/FinancePortal.IntegrationTests/Authorization/AuthorizationMatrix.cs) with its policy, a probe path and an outcome for each of {AllAudiences}, " +
        "and the same row to the table in docs/security.md.";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
