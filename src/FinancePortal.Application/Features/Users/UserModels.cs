namespace FinancePortal.Application.Features.Users;

public sealed record UserListItem(
    string Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    int? PlatformId,
    string? PlatformCode,
    string Provinces,
    bool IsLockedOut);

public sealed record UserQuery : PageRequest
{
    public string? Search { get; init; }

    public string? Role { get; init; }
}

/// <summary>The editable fields of a user (a form model).</summary>
public sealed class UserInput
{
    public string Email { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>Printed under the name on decision letters.</summary>
    public string? JobTitle { get; set; }

    public HashSet<string> Roles { get; set; } = [];

    /// <summary>Required for an Operator, empty for everybody else.</summary>
    public int? PlatformId { get; set; }

    /// <summary>Jurisdiction of a regulator-side user; empty means national.</summary>
    public HashSet<string> Provinces { get; set; } = [];

    /// <summary>Initial password, only when creating.</summary>
    public string? Password { get; set; }
}
