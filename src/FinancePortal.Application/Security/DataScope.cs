namespace FinancePortal.Application.Security;

/// <summary>
/// The set of platforms a user may see (DOMAIN.md §1). Built once per database context by
/// <see cref="IDataScopeResolver"/> and applied by the context's query filters to every platform-owned row.
/// </summary>
public sealed class DataScope
{
    private DataScope(bool isAll, IReadOnlyCollection<int> platformIds, string description)
    {
        IsAll = isAll;
        PlatformIds = platformIds;
        Description = description;
    }

    public bool IsAll { get; }

    public IReadOnlyCollection<int> PlatformIds { get; }

    /// <summary>Plain words for the UI, e.g. "National" or "Provinces: Guangdong".</summary>
    public string Description { get; }

    public static DataScope All(string description = "National") => new(true, [], description);

    public static DataScope None { get; } = new(false, [], "No data");

    public static DataScope Platforms(IEnumerable<int> ids, string description) => new(false, ids.Distinct().ToArray(), description);

    public bool Allows(int platformId) => IsAll || PlatformIds.Contains(platformId);
}

/// <summary>Turns a user into their <see cref="DataScope"/>: own platform, platforms of their provinces, or all.</summary>
public interface IDataScopeResolver
{
    Task<DataScope> ResolveAsync(UserContext user, CancellationToken cancellationToken = default);
}
