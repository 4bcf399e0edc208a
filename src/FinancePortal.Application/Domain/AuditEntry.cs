namespace FinancePortal.Application.Domain;

/// <summary>One append-only audit record (DOMAIN.md §7). The app never updates or deletes one.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime TimeUtc { get; set; }

    /// <summary>User name of the actor, or <c>system</c>; for a failed sign-in the name that was tried.</summary>
    public string Actor { get; set; } = "";

    /// <summary>The actor's roles at the time, comma-separated.</summary>
    public string Role { get; set; } = "";

    /// <summary>What happened, one of <see cref="AuditActions"/>.</summary>
    public string Action { get; set; } = "";

    public string EntityType { get; set; } = "";

    public string? EntityId { get; set; }

    public int? PlatformId { get; set; }

    public string Summary { get; set; } = "";

    /// <summary>The name of the API token the actor used, when the action came through the filing API.</summary>
    public string? ApiToken { get; set; }
}

/// <summary>The audit action vocabulary.</summary>
public static class AuditActions
{
    public const string SignIn = "SignIn";
    public const string SignInFailed = "SignInFailed";
    public const string SignInLockedOut = "SignInLockedOut";
    public const string SignOut = "SignOut";
    public const string UserCreated = "UserCreated";
    public const string UserUpdated = "UserUpdated";
    public const string UserLocked = "UserLocked";
    public const string UserUnlocked = "UserUnlocked";
    public const string UserPasswordReset = "UserPasswordReset";
    public const string UserSignedOutEverywhere = "UserSignedOutEverywhere";
    public const string PlatformCreated = "PlatformCreated";
    public const string PlatformUpdated = "PlatformUpdated";
    public const string LicenceStatusChanged = "LicenceStatusChanged";
    public const string Exported = "Exported";
    public const string AlertRaised = "AlertRaised";
    public const string AlertUpdated = "AlertUpdated";
    public const string AlertStateChanged = "AlertStateChanged";
    public const string AlertAssigned = "AlertAssigned";
    public const string SupervisoryActionRecorded = "SupervisoryActionRecorded";
    public const string WatchListChanged = "WatchListChanged";
    public const string AlertThresholdsChanged = "AlertThresholdsChanged";
    public const string MetricsRebuilt = "MetricsRebuilt";
    public const string OverrideConfirmed = "ApplicationOverrideConfirmed";
    public const string ApiTokenCreated = "ApiTokenCreated";
    public const string ApiTokenRevoked = "ApiTokenRevoked";
    public const string ApiCall = "ApiCall";
}
