using System.Globalization;
using System.Resources;
using FinancePortal.Application;

namespace FinancePortal.Web.Localization;

/// <summary><see cref="IDomainText"/> over the portal's own resources (Resources/SharedResource*.resx).</summary>
public sealed class ResourceDomainText : IDomainText
{
    private static readonly ResourceManager Resources = new("FinancePortal.Web.Resources.SharedResource", typeof(SharedResource).Assembly);

    public string Get(string key, CultureInfo culture) => Resources.GetString(key, culture) is { Length: > 0 } text ? text : key;
}
