using FinancePortal.Application.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FinancePortal.Web.Security;

/// <summary>
/// Identity's sign-in manager with one change: a password sign-in for an e-mail that has no account verifies the
/// password against a dummy hash (same hasher, same iteration count) before it fails. An unknown e-mail then costs the
/// same PBKDF2 work as a wrong password on a real account, so the response time does not tell which e-mails exist; the
/// page and message are the same too (Login.razor shows one message for both).
/// </summary>
public sealed class PortalSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation)
    : SignInManager<PortalUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static readonly Lock DummyLock = new();
    private static string? _dummyHash;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            VerifyDummy(password);
            return SignInResult.Failed;
        }

        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    /// <summary>
    /// The cookie's periodic check (Identity's security-stamp validator, every <c>Security:Sessions</c> interval): the
    /// stamp must match, as in Identity, and the account must not be locked out. A lockout by failed sign-ins does not
    /// renew the stamp, so without this an old cookie outlived it.
    /// </summary>
    public override async Task<PortalUser?> ValidateSecurityStampAsync(System.Security.Claims.ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is not null && await UserManager.IsLockedOutAsync(user) ? null : user;
    }

    /// <summary>Spends the work of one password verification, whatever the outcome.</summary>
    private void VerifyDummy(string password)
    {
        var hasher = UserManager.PasswordHasher;
        string hash;
        lock (DummyLock)
        {
            // Hashed once per process with the configured hasher, so a verification costs what a real one does.
            hash = _dummyHash ??= hasher.HashPassword(new PortalUser(), Guid.NewGuid().ToString("N") + "!Aa1");
        }

        hasher.VerifyHashedPassword(new PortalUser(), hash, password);
    }
}
