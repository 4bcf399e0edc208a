using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Platforms;

public sealed record PlatformListItem(
    int Id,
    string Code,
    string LegalName,
    string Province,
    PlatformKind Kind,
    LicenceStatus LicenceStatus,
    decimal RegisteredCapital,
    bool LendsAcrossProvinces);

public sealed record PlatformQuery : PageRequest
{
    /// <summary>Matches the start of the code or any part of the legal name.</summary>
    public string? Search { get; init; }

    public PlatformKind? Kind { get; init; }

    public LicenceStatus? Status { get; init; }

    public string? Province { get; init; }
}

public sealed record LicenceChangeItem(LicenceStatus? FromStatus, LicenceStatus ToStatus, string Reason, string Actor, DateTime ChangedUtc);

public sealed record PlatformDetail(
    int Id,
    string Code,
    string LegalName,
    string Province,
    PlatformKind Kind,
    LicenceStatus LicenceStatus,
    decimal RegisteredCapital,
    bool LendsAcrossProvinces,
    DateTime CreatedUtc,
    Guid ConcurrencyStamp,
    IReadOnlyList<LicenceChangeItem> History);

public sealed record PlatformOption(int Id, string Code, string LegalName)
{
    public override string ToString() => $"{Code} · {LegalName}";
}

/// <summary>The editable fields of a platform (a form model).</summary>
public sealed class PlatformInput
{
    public string Code { get; set; } = "";

    public string LegalName { get; set; } = "";

    public string Province { get; set; } = "";

    public bool LendsAcrossProvinces { get; set; }

    public PlatformKind Kind { get; set; } = PlatformKind.EcommerceEcosystem;

    /// <summary>RMB, two decimal places.</summary>
    public decimal RegisteredCapital { get; set; }

    public static PlatformInput From(PlatformDetail d) => new()
    {
        Code = d.Code,
        LegalName = d.LegalName,
        Province = d.Province,
        LendsAcrossProvinces = d.LendsAcrossProvinces,
        Kind = d.Kind,
        RegisteredCapital = d.RegisteredCapital,
    };
}

/// <summary>The caller's data scope in words, with the number of platforms it covers.</summary>
public sealed record ScopeSummary(string Description, bool IsNational, int PlatformCount, PlatformListItem? OwnPlatform);
