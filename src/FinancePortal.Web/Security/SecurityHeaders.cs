using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace FinancePortal.Web.Security;

/// <summary>
/// Security headers on every response (pages, endpoints, static files, error pages): a Content-Security-Policy that
/// Blazor Server and MudBlazor work under, nosniff, no framing, a strict referrer policy and no powerful features.
/// </summary>
public static partial class SecurityHeaders
{
    private const string NonceKey = "FinancePortal.CspNonce";

    /// <summary>Browser features the portal never uses.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    /// <summary>
    /// The policy for one response. Scripts: only the portal's own files plus the one inline import map Blazor renders,
    /// which carries this response's nonce (Blazor Server needs neither 'unsafe-eval' nor 'unsafe-inline' scripts).
    /// Styles: MudBlazor writes its theme as an inline style element and positions popovers with style attributes, so
    /// inline styles are allowed. connect-src names the circuit's WebSocket origin explicitly for browsers whose
    /// 'self' does not cover ws:/wss: (CSP level 2).
    /// </summary>
    public static string ContentSecurityPolicy(HttpContext context)
    {
        var webSocketOrigin = WebSocketOrigin(context.Request);
        return string.Join("; ",
            "default-src 'self'",
            $"script-src 'self' 'nonce-{Nonce(context)}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            webSocketOrigin is null ? "connect-src 'self'" : $"connect-src 'self' {webSocketOrigin}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    /// <summary>A random value per request for the few inline elements the framework renders (the import map).</summary>
    public static string Nonce(HttpContext context)
    {
        if (context.Items.TryGetValue(NonceKey, out var value) && value is string nonce)
        {
            return nonce;
        }

        // Hex: no character the HTML encoder rewrites, and valid in a CSP nonce source.
        nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        return nonce;
    }

    /// <summary>Adds the headers when the response starts, so that error pages and re-executed responses carry them too.</summary>
    public static IApplicationBuilder UsePortalSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(http);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            }, context);
            await next(context);
        });

    private static string? WebSocketOrigin(HttpRequest request)
    {
        // The Host header ends up inside the policy: accept only a plain host name or address and port.
        var host = request.Host.Value;
        if (string.IsNullOrEmpty(host) || !HostPattern().IsMatch(host))
        {
            return null;
        }

        return (request.IsHttps ? "wss://" : "ws://") + host;
    }

    [GeneratedRegex(@"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$")]
    private static partial Regex HostPattern();
}
