using System.Globalization;

namespace FinancePortal.Application.Features.Scorecards;

/// <summary>
/// A factor's curve as people type it: breakpoints "input:points" separated by commas, e.g. "0:0, 50:60, 100:100",
/// numbers in the invariant culture.
/// </summary>
public static class ScorecardCurve
{
    /// <summary>The curve as text, e.g. "0:0, 100:100".</summary>
    public static string Format(IEnumerable<Breakpoint> curve) =>
        string.Join(", ", curve.Select(b => $"{b.X.ToString(CultureInfo.InvariantCulture)}:{b.Points.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The breakpoints of <paramref name="text"/>, and the pairs that are not input:points (empty when it is all valid).</summary>
    public static CurveText Parse(string? text)
    {
        var points = new List<Breakpoint>();
        var invalid = new List<string>();
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(':');
            if (parts.Length == 2
                && decimal.TryParse(parts[0], NumberStyles.Number, CultureInfo.InvariantCulture, out var x)
                && decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var p))
            {
                points.Add(new Breakpoint(x, p));
            }
            else
            {
                invalid.Add(pair);
            }
        }

        return new CurveText(points, invalid);
    }
}

/// <summary>A parsed curve: its breakpoints and the typed pairs that could not be read.</summary>
public sealed record CurveText(IReadOnlyList<Breakpoint> Points, IReadOnlyList<string> Invalid)
{
    public bool IsValid => Invalid.Count == 0;
}
