using FinancePortal.Application;
using MudBlazor;

namespace FinancePortal.Web.Components.Shared;

public static class GridStateExtensions
{
    /// <summary>The first sort column of a grid (the service maps it through its allow-list).</summary>
    public static (string? SortBy, bool Descending) FirstSort<T>(this GridState<T> state)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        return (sort?.SortBy, sort?.Descending ?? false);
    }

    public static GridData<T> ToGridData<T>(this PagedResult<T> page) => new() { Items = page.Items, TotalItems = page.TotalCount };
}
