namespace FinancePortal.Application.Domain;

/// <summary>A consumer-finance platform under supervision (DOMAIN.md §2).</summary>
public sealed class Platform : IConcurrencyAware
{
    public int Id { get; set; }

    /// <summary>Short unique code, e.g. <c>JDBT</c>.</summary>
    public string Code { get; set; } = "";

    public string LegalName { get; set; } = "";

    /// <summary>Home province (one of <see cref="Provinces.All"/>).</summary>
    public string Province { get; set; } = "";

    public bool LendsAcrossProvinces { get; set; }

    public PlatformKind Kind { get; set; }

    /// <summary>Registered capital in RMB.</summary>
    public decimal RegisteredCapital { get; set; }

    public LicenceStatus LicenceStatus { get; set; } = LicenceStatus.Applicant;

    public DateTime CreatedUtc { get; set; }

    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();

    public List<LicenceChange> LicenceHistory { get; set; } = [];
}

public enum PlatformKind
{
    EcommerceEcosystem,
    NetworkInstallment,
    CommercialBank,
    ConsumerFinanceCompany,
    Other,
}

public enum LicenceStatus
{
    Applicant,
    Licensed,
    ConditionallyLicensed,
    Suspended,
    Revoked,
}
