using Microsoft.Extensions.Localization;
using MudBlazor;

namespace FinancePortal.Web.Localization;

/// <summary>
/// MudBlazor's own words (pager, grid, dialogs) from the portal's resources. MudBlazor asks only when the UI culture is
/// not English; a key the resources lack comes back as not found, so MudBlazor falls back to its English text.
/// </summary>
public sealed class ResourceMudLocalizer(IStringLocalizer<SharedResource> localizer) : MudLocalizer
{
    public override LocalizedString this[string key] => localizer[key];

    public override LocalizedString this[string key, params object[] arguments] => localizer[key, arguments];
}
