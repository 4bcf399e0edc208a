namespace FinancePortal.Web.Components.Shared.Charts;

/// <summary>
/// Series colours for up to 20 series: the Okabe-Ito colours (distinguishable with the common colour-vision
/// deficiencies) first, then mid-tone Tableau-style colours. All are mid tones, readable on the light and the dark
/// surface. The industry median (a reference, not a platform) is drawn in <see cref="Reference"/> and dashed.
/// </summary>
public static class ChartPalette
{
    public static readonly IReadOnlyList<string> Series =
    [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
        "#9467BD", "#8C564B", "#17BECF", "#BCBD22", "#E15759", "#59A14F", "#E7298A",
        "#FF9DA7", "#A6761D", "#4E79A7", "#F28E2B", "#76B7B2", "#B2DF8A",
    ];

    /// <summary>Neutral grey for reference lines such as the industry median.</summary>
    public const string Reference = "#8A8A8A";

    /// <summary>One colour per series; with <paramref name="lastIsReference"/> the last series gets <see cref="Reference"/>.</summary>
    public static string[] For(int seriesCount, bool lastIsReference = false)
    {
        var colours = Enumerable.Range(0, Math.Max(seriesCount, 1)).Select(i => Series[i % Series.Count]).ToArray();
        if (lastIsReference && seriesCount > 0)
        {
            colours[seriesCount - 1] = Reference;
        }

        return colours;
    }
}
