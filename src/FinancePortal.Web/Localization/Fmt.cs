using System.Globalization;

namespace FinancePortal.Web.Localization;

/// <summary>Culture-aware display formats. Money is always RMB, whatever the UI language.</summary>
public static class Fmt
{
    public static NumberFormatInfo RmbFormat(CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = "¥";
        format.CurrencyPositivePattern = 0; // ¥n
        format.CurrencyNegativePattern = 1; // -¥n
        format.CurrencyDecimalDigits = 2;
        return format;
    }

    /// <summary>An RMB amount with two decimals, e.g. ¥1,234.50.</summary>
    public static string Rmb(decimal amount, CultureInfo? culture = null) =>
        amount.ToString("C2", RmbFormat(culture ?? CultureInfo.CurrentCulture));

    /// <summary>A ratio (0.0512) as a percentage with <paramref name="decimals"/> decimals, e.g. 5.12%.</summary>
    public static string Percent(decimal ratio, int decimals = 2, CultureInfo? culture = null) =>
        ratio.ToString("P" + decimals.ToString(CultureInfo.InvariantCulture), culture ?? CultureInfo.CurrentCulture);

    /// <summary>A rate that may be undefined (no outstanding balance): "—" then.</summary>
    public static string Percent(decimal? ratio, int decimals = 2) => ratio is decimal r ? Percent(r, decimals) : "—";

    /// <summary>A change in percentage points, signed, e.g. +0.42 pp.</summary>
    public static string PercentagePoints(decimal? from, decimal? to) =>
        from is decimal a && to is decimal b ? ((b - a) * 100m).ToString("+0.00;-0.00;0.00", CultureInfo.CurrentCulture) + " " + DomainWords.T("pp") : "—";

    /// <summary>A large RMB amount in millions, e.g. ¥82.06M (the exact amount goes in a tooltip).</summary>
    public static string RmbMillions(decimal amount) =>
        "¥" + (amount / 1_000_000m).ToString("#,##0.00", CultureInfo.CurrentCulture) + "M";

    /// <summary>A UTC time, labelled as such.</summary>
    public static string Utc(DateTime utc) =>
        utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A file size in B, KB or MB.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / 1024d / 1024d).ToString("0.##", CultureInfo.InvariantCulture) + " MB",
    };

    public static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
