namespace FinancePortal.Web;

/// <summary>Marker for the portal's UI strings: Resources/SharedResource.resx (English) and .zh-CN.resx.</summary>
public sealed class SharedResource;
