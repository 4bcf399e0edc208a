using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FinancePortal.TestSupport.Circuits;

/// <summary>
/// What one supervisor does in the load benchmark (and its smoke test), over a <see cref="BlazorCircuitClient"/>:
/// signs in, opens the risk-monitoring dashboard as an interactive circuit, moves to the audit log inside the circuit
/// and pages its grid with the pager's buttons.
/// </summary>
public static partial class SupervisorJourney
{
    public const string DashboardPath = "monitoring";
    public const string GridPath = "audit";

    /// <summary>The dashboard rendered by the circuit: the layout is interactive and the KPI cards are there.</summary>
    public static bool DashboardReady(CircuitDom dom) =>
        dom.Find(e => e.Attribute("data-interactive") == "yes") is not null && dom.FindByTestId("kpi-cards") is not null;

    /// <summary>The grid's pager caption, e.g. "51-100 of 213", once the grid has rows.</summary>
    public static string? PagerCaption(CircuitDom dom) =>
        dom.Find(e => e.Attribute("class")?.Contains("mud-table-pagination-caption", StringComparison.Ordinal) == true
                      && PagerRange().IsMatch(e.Text) && !e.Text.StartsWith("0-", StringComparison.Ordinal))?.Text;

    /// <summary>Signs in, opens the dashboard circuit; returns the elapsed time.</summary>
    public static async Task<TimeSpan> SignInAndOpenDashboardAsync(BlazorCircuitClient client, string email, string password, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await client.SignInAsync(email, password, ct);
        await client.StartAsync(DashboardPath, DashboardReady, timeout, ct);
        return watch.Elapsed;
    }

    /// <summary>Navigates inside the circuit to the audit log and waits for its first page of rows.</summary>
    public static async Task<TimeSpan> OpenGridAsync(BlazorCircuitClient client, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await client.NavigateAsync(GridPath, dom => PagerCaption(dom) is not null, timeout, ct);
        return watch.Elapsed;
    }

    /// <summary>
    /// Clicks "Next page" (or "Previous page" on the last page) and waits until the pager shows the other page.
    /// Returns the time from dispatching the click to receiving the render batch that shows it.
    /// </summary>
    public static async Task<TimeSpan> PageAsync(BlazorCircuitClient client, TimeSpan timeout, CancellationToken ct)
    {
        var (button, before) = client.Read(dom =>
        {
            var next = PagerButton(dom, "Next page");
            return (next is not null && !next.Attributes.ContainsKey("disabled") ? next : PagerButton(dom, "Previous page"), PagerCaption(dom));
        });
        if (button is null || before is null || button.Attributes.ContainsKey("disabled"))
        {
            throw new InvalidOperationException($"The grid has a single page ({before ?? "no rows"}): nothing to page.");
        }

        var watch = Stopwatch.StartNew();
        await client.ClickAsync(button, ct);
        await client.WaitForAsync(dom => PagerCaption(dom) is { } now && now != before, timeout, ct);
        return watch.Elapsed;
    }

    private static CircuitNode? PagerButton(CircuitDom dom, string label) =>
        dom.Find(e => e.Name == "button" && e.Attribute("aria-label") == label);

    [GeneratedRegex(@"^\d+-\d+ \S+ \d+$")]
    private static partial Regex PagerRange();
}
