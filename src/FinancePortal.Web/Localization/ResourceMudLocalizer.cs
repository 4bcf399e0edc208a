using Microsoft.Extensions.Localization;
using MudBlazor;

namespace FinancePortal.Web.Localization;

/// <summary>
/// MudBlazor's own words (pager, grid, dialogs) from the portal's resources. MudBlazor asks only when the UI culture is
/// not English; a key the resources lack comes back as not found, so MudBlazor falls back to its English text. Some of
/// MudBlazor's texts carry named placeholders ("{first_item}-{last_item} of {all_items}") that MudBlazor fills itself:
/// those are returned unformatted.
/// </summary>
public sealed class ResourceMudLocalizer(IStringLocalizer<SharedResource> localizer) : MudLocalizer
{
    public override LocalizedString this[string key] => localizer[key];

    public override LocalizedString this[string key, params object[] arguments]
    {
        get
        {
            var text = localizer[key];
            if (text.ResourceNotFound || arguments.Length == 0)
            {
                return text;
            }

            try
            {
                return new LocalizedString(key, string.Format(System.Globalization.CultureInfo.CurrentCulture, text.Value, arguments), false, text.SearchedLocation);
            }
            catch (FormatException)
            {
                return text;
            }
        }
    }
}
