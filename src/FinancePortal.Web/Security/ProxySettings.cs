using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace FinancePortal.Web.Security;

/// <summary>
/// The TLS-terminating reverse proxy in front of the portal (<c>ForwardedHeaders</c> section, deployment.md). When
/// <see cref="Enabled"/>, X-Forwarded-For / -Proto / -Host from the listed proxies replace the connection's address,
/// scheme and host, first thing in the pipeline: HTTPS redirection, HSTS, Secure cookies, the sign-in rate limit (per
/// client address) and the circuit's WebSocket origin then see what the browser used.
/// </summary>
public sealed class ProxySettings
{
    public const string Section = "ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies whose headers are trusted. Empty with no networks: loopback only (the framework's default).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. 10.0.0.0/8.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Which headers to apply: any of XForwardedFor, XForwardedProto, XForwardedHost.</summary>
    public string[] Headers { get; set; } = ["XForwardedFor", "XForwardedProto", "XForwardedHost"];

    /// <summary>Host names the proxy may forward in X-Forwarded-Host; empty allows any (then limit AllowedHosts).</summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>How many proxies in a chain are applied (1: one proxy in front of the portal).</summary>
    public int ForwardLimit { get; set; } = 1;
}

public static class ProxySettingsExtensions
{
    public static IServiceCollection AddPortalForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxySettings>()
            .Bind(configuration.GetSection(ProxySettings.Section))
            .Validate(Valid, $"{ProxySettings.Section}: KnownProxies must be IP addresses, KnownNetworks CIDR networks, Headers XForwardedFor/XForwardedProto/XForwardedHost, ForwardLimit positive.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxySettings>>((options, settings) => Apply(options, settings.Value));
        return services;
    }

    /// <summary>First in the pipeline when enabled in settings.</summary>
    public static IApplicationBuilder UsePortalForwardedHeaders(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<ProxySettings>>().Value.Enabled ? app.UseForwardedHeaders() : app;

    private static void Apply(ForwardedHeadersOptions options, ProxySettings settings)
    {
        options.ForwardedHeaders = settings.Headers.Aggregate(ForwardedHeaders.None, (all, h) => all | Enum.Parse<ForwardedHeaders>(h, ignoreCase: true));
        options.ForwardLimit = settings.ForwardLimit;
        if (settings.KnownProxies.Length > 0 || settings.KnownNetworks.Length > 0)
        {
            // Listed proxies replace the loopback defaults.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        }

        foreach (var host in settings.AllowedHosts)
        {
            options.AllowedHosts.Add(host);
        }
    }

    private static bool Valid(ProxySettings s) =>
        s.ForwardLimit > 0
        && s.KnownProxies.All(p => IPAddress.TryParse(p, out _))
        && s.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _))
        && s.Headers.All(h => h is "XForwardedFor" or "XForwardedProto" or "XForwardedHost");
}
