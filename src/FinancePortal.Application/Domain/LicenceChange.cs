namespace FinancePortal.Application.Domain;

/// <summary>One entry of a platform's licence history: never updated, never deleted.</summary>
public sealed class LicenceChange : IPlatformOwned
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    public Platform? Platform { get; set; }

    /// <summary>Null for the first status a platform was registered with.</summary>
    public LicenceStatus? FromStatus { get; set; }

    public LicenceStatus ToStatus { get; set; }

    public string Reason { get; set; } = "";

    public string Actor { get; set; } = "";

    public DateTime ChangedUtc { get; set; }
}
