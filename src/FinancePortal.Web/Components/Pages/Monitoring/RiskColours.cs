namespace FinancePortal.Web.Components.Pages.Monitoring;

/// <summary>Threshold colouring: above the limit is a breach; above 80 % of it is a warning.</summary>
public static class RiskColours
{
    public static string Class(decimal? rate, decimal limitPct) => rate switch
    {
        null => "",
        var r when r * 100m > limitPct => "fp-breach",
        var r when r * 100m > limitPct * 0.8m => "fp-near-breach",
        _ => "",
    };
}
