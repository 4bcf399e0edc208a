using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FinancePortal.Web.Security;

/// <summary>How fast a renewed security stamp ends existing sessions (<c>Security:Sessions</c>).</summary>
public sealed class SessionOptions
{
    public const string Section = "Security:Sessions";

    /// <summary>
    /// Seconds between two checks of a session's security stamp (and lockout), for sign-in cookies on HTTP requests and
    /// for live circuits alike. A locked, deactivated or changed account, a reset password or "sign out everywhere"
    /// ends every session within this time. Default 30 (the requirement is "within 60 s").
    /// </summary>
    public int ValidationIntervalSeconds { get; set; } = 30;

    public TimeSpan ValidationInterval => TimeSpan.FromSeconds(ValidationIntervalSeconds);
}

public static class SessionRevocation
{
    /// <summary>The interval from settings for Identity's cookie validator and the circuits' revalidating provider.</summary>
    public static IServiceCollection AddSessionRevocation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionOptions>()
            .Bind(configuration.GetSection(SessionOptions.Section))
            .Validate(o => o.ValidationIntervalSeconds > 0, $"{SessionOptions.Section}:ValidationIntervalSeconds must be positive.")
            .ValidateOnStart();
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<SessionOptions>>((validator, sessions) =>
            validator.ValidationInterval = sessions.Value.ValidationInterval);
        return services;
    }
}
