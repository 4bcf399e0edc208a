using System.Reflection;
using FinancePortal.TestSupport;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests;

/// <summary>
/// Every page and endpoint carries an explicit authorization decision. Framework endpoints (the Blazor hub, the
/// static-file fallback) have none of their own and fall under the fallback policy, which demands a signed-in user.
/// </summary>
public class RouteAuthorizationTests
{
    private static readonly string[] PublicPages = ["/Account/Login", "/Account/Lockout", "/Account/AccessDenied", "/Error"];

    private static readonly string[] KnownPolicies =
        typeof(Policies).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();

    public static TheoryData<string> RoutableComponents()
    {
        var data = new TheoryData<string>();
        foreach (var type in typeof(Program).Assembly.GetTypes().Where(t => t.GetCustomAttributes<RouteAttribute>().Any()))
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoutableComponents))]
    public void Every_routable_component_names_a_policy_or_is_a_known_public_page(string typeName)
    {
        var type = typeof(Program).Assembly.GetType(typeName)!;
        var routes = type.GetCustomAttributes<RouteAttribute>().Select(r => r.Template).ToList();
        var authorize = type.GetCustomAttributes<AuthorizeAttribute>(inherit: true).ToList();
        var anonymous = type.GetCustomAttribute<AllowAnonymousAttribute>(inherit: true) is not null;

        if (anonymous)
        {
            Assert.All(routes, r => Assert.Contains(r, PublicPages));
            return;
        }

        Assert.True(authorize.Count > 0, $"{type.Name} ({string.Join(", ", routes)}) has no [Authorize(Policy = ...)].");
        Assert.All(authorize, a => Assert.Contains(a.Policy, KnownPolicies));
    }

    [Fact]
    public void There_are_routable_components_to_check() => Assert.True(RoutableComponents().Count >= 8);

    [Fact]
    public async Task Every_endpoint_is_either_explicitly_public_authorized_or_a_framework_endpoint_under_the_fallback_policy()
    {
        await using var factory = new PortalAppFactory();
        _ = factory.CreateClient();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);

        var unexplained = new List<string>();
        var publicRoutes = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
            var isPublic = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var hasPolicy = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any();
            if (isPublic)
            {
                publicRoutes.Add(route);
            }
            else if (!hasPolicy && !route.StartsWith("/_blazor", StringComparison.Ordinal) && !route.StartsWith("/_framework", StringComparison.Ordinal) && route != "/{**path:file}")
            {
                unexplained.Add(route);
            }
        }

        Assert.True(unexplained.Count == 0, "Endpoints without a policy: " + string.Join(", ", unexplained));
        var publicNonAsset = publicRoutes.Where(r => !r.StartsWith("/_content/", StringComparison.Ordinal) && !r.StartsWith("/_framework/", StringComparison.Ordinal) && !r.Contains('.')).Distinct().Order().ToList();
        Assert.Equal(PublicPages.Append("/culture/set").Order(), publicNonAsset);

        var options = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthorizationOptions>>().Value;
        Assert.NotNull(options.FallbackPolicy);
        Assert.Contains(options.FallbackPolicy.Requirements, r => r is Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement);
    }
}
