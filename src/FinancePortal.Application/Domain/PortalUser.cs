using Microsoft.AspNetCore.Identity;

namespace FinancePortal.Application.Domain;

/// <summary>A portal user. An Operator is bound to exactly one platform; a regulator may be limited to provinces.</summary>
public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>Job title as printed on letters (e.g. "Deputy Director, Market Access Division").</summary>
    public string JobTitle { get; set; } = "";

    /// <summary>The platform an Operator works for; null for regulator-side users.</summary>
    public int? PlatformId { get; set; }

    /// <summary>Jurisdiction of a regulator-side user: comma-separated provinces; empty means national.</summary>
    public string Provinces { get; set; } = "";

    public DateTime CreatedUtc { get; set; }
}
