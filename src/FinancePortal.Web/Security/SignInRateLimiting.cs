using System.Globalization;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using FinancePortal.Web.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace FinancePortal.Web.Security;

/// <summary>Limits on sign-in form posts per client address (<c>Security:SignInRateLimit</c>).</summary>
public sealed class SignInRateLimitOptions
{
    public const string Section = "Security:SignInRateLimit";

    /// <summary>Sign-in posts one client address may make per window.</summary>
    public int PermitLimit { get; set; } = 10;

    /// <summary>Length of the fixed window in seconds.</summary>
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// A fixed-window limiter on the sign-in form's posts, partitioned by the client's IP address. It is a named policy
/// attached to the sign-in page's endpoint (<c>[EnableRateLimiting(SignInRateLimiting.Policy)]</c> on Login.razor), not
/// a path comparison: every URL that routing sends to the sign-in page (any case, a trailing slash, a query string)
/// shares one window per address. It complements the per-account lockout: lockout stops guessing one account's
/// password, this stops one client from trying many accounts. Refused posts get 429 with Retry-After and a short page
/// saying what to do.
/// </summary>
public static class SignInRateLimiting
{
    public const string SignInPath = "/Account/Login";

    /// <summary>The rate-limiting policy on the sign-in page's endpoint (GETs pass; POSTs count).</summary>
    public const string Policy = "sign-in";

    public const string RefusedMessage = "Too many sign-in attempts from your network. Wait a minute, then try again.";

    public static IServiceCollection AddSignInRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignInRateLimitOptions>()
            .Bind(configuration.GetSection(SignInRateLimitOptions.Section))
            .Validate(o => o.PermitLimit > 0 && o.WindowSeconds > 0, $"{SignInRateLimitOptions.Section}: PermitLimit and WindowSeconds must be positive.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SignInRateLimitOptions>>((limiter, signIn) =>
        {
            var limit = signIn.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter("sign-in|" + ClientAddress(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limit.PermitLimit,
                        Window = TimeSpan.FromSeconds(limit.WindowSeconds),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("sign-in-page"));
            limiter.OnRejected = (rejected, ct) => WriteRefusalAsync(rejected.HttpContext, rejected.Lease, limit, ct);
        });
        return services;
    }

    /// <summary>
    /// The connection's remote address. Behind a reverse proxy or load balancer, configure the forwarded-headers
    /// middleware first (deployment.md), otherwise every client shares the proxy's address and its limit.
    /// </summary>
    private static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The refusal page, in the request's culture (the limiter runs after request localization).</summary>
    private static async ValueTask WriteRefusalAsync(HttpContext context, RateLimitLease lease, SignInRateLimitOptions limit, CancellationToken ct)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(limit.WindowSeconds);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var l = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var encode = context.RequestServices.GetRequiredService<HtmlEncoder>(); // all Unicode ranges (Program.cs): Chinese as UTF-8
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            $"""
            <!DOCTYPE html>
            <html lang="{encode.Encode(CultureInfo.CurrentUICulture.Name)}"><head><meta charset="utf-8" /><title>{encode.Encode(l["Too many sign-in attempts"])} · FinancePortal</title></head>
            <body><main><h1>{encode.Encode(l["Too many sign-in attempts"])}</h1>
            <p role="alert" data-testid="sign-in-rate-limited">{encode.Encode(l[RefusedMessage])}</p>
            <p>{encode.Encode(l["You can try again in {0} seconds.", seconds])} <a href="{SignInPath}">{encode.Encode(l["Back to sign in"])}</a></p></main></body></html>
            """, ct);
    }
}
