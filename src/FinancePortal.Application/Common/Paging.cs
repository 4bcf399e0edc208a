namespace FinancePortal.Application;

/// <summary>One page of a server-paged list.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount);

/// <summary>Paging and sorting asked for by a grid; the service maps <see cref="SortBy"/> through an allow-list.</summary>
public record PageRequest(int Page = 0, int PageSize = 25, string? SortBy = null, bool Descending = false)
{
    public const int MaxPageSize = 200;

    public int SafePageSize => Math.Clamp(PageSize, 1, MaxPageSize);

    public int Skip => Math.Max(Page, 0) * SafePageSize;
}
