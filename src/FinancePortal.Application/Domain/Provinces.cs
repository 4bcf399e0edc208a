namespace FinancePortal.Application.Domain;

/// <summary>Provincial-level divisions of mainland China, by their English names.</summary>
public static class Provinces
{
    public static readonly IReadOnlyList<string> All =
    [
        "Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia", "Liaoning", "Jilin", "Heilongjiang",
        "Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi", "Shandong", "Henan", "Hubei",
        "Hunan", "Guangdong", "Guangxi", "Hainan", "Chongqing", "Sichuan", "Guizhou", "Yunnan", "Tibet",
        "Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang",
    ];

    public static bool IsKnown(string province) => All.Contains(province, StringComparer.Ordinal);

    /// <summary>Parses a stored comma-separated list.</summary>
    public static IReadOnlyList<string> Parse(string? stored) =>
        string.IsNullOrWhiteSpace(stored)
            ? []
            : stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string Format(IEnumerable<string> provinces) => string.Join(',', provinces.Distinct().Order(StringComparer.Ordinal));
}
