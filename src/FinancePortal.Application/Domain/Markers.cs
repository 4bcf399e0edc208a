namespace FinancePortal.Application.Domain;

/// <summary>An entity whose rows belong to one platform; the data scope filters it by <see cref="PlatformId"/>.</summary>
public interface IPlatformOwned
{
    int PlatformId { get; }
}

/// <summary>An entity with an optimistic concurrency token that is renewed on every save (works on SQLite and SQL Server).</summary>
public interface IConcurrencyAware
{
    Guid ConcurrencyStamp { get; set; }
}
