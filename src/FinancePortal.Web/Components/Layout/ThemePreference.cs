namespace FinancePortal.Web.Components.Layout;

/// <summary>
/// The reader's light/dark choice, kept in a cookie (written by brand/prefs.js when the theme is toggled) and read on
/// every request, so the prerendered page is already in the right theme: no flash on refresh, deep link or language
/// switch.
/// </summary>
public static class ThemePreference
{
    public const string CookieName = "fp-theme";

    public const string Dark = "dark";

    public const string Light = "light";

    public static bool IsDark(HttpContext? context) =>
        context?.Request.Cookies.TryGetValue(CookieName, out var value) == true && value == Dark;
}
