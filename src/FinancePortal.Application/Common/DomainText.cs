using System.Globalization;
using System.Text.RegularExpressions;
using FinancePortal.Application.Domain;

namespace FinancePortal.Application;

/// <summary>
/// Words for what services write for people to read (reports, exports): the portal's resources in a given culture,
/// whatever the current thread's culture. Keys are the English text, or <c>Prefix.Code</c> for stored codes.
/// </summary>
public interface IDomainText
{
    /// <summary>The text of <paramref name="key"/> in <paramref name="culture"/>; the key itself when there is none.</summary>
    string Get(string key, CultureInfo culture);
}

public static class DomainText
{
    /// <summary>The cultures the portal is translated into.</summary>
    public static readonly string[] Cultures = ["en", "zh-CN"];

    /// <summary>The resource key of a stored code, e.g. <c>AlertRule.DefaultRateAboveLimit</c>.</summary>
    public static string KeyOf(Enum value) => value switch
    {
        ApplicationState s => $"State.{s}",
        AlertSeverity s => $"Severity.{s}",
        SupervisoryActionKind k => $"Action.{k}",
        _ => $"{value.GetType().Name}.{value}",
    };

    /// <summary>A stored code in words, e.g. "Default rate above limit" / "违约率超限".</summary>
    public static string Words(this IDomainText text, Enum value, CultureInfo culture) => text.Get(KeyOf(value), culture);

    /// <summary>A resource with format arguments, formatted in <paramref name="culture"/>.</summary>
    public static string Format(this IDomainText text, CultureInfo culture, string key, params object?[] args) =>
        string.Format(culture, text.Get(key, culture), args);

    /// <summary>The culture for a requested language: one of <see cref="Cultures"/>, or a clear error.</summary>
    public static CultureInfo CultureOf(string? language) =>
        string.IsNullOrWhiteSpace(language) ? CultureInfo.GetCultureInfo("en")
        : Cultures.FirstOrDefault(c => string.Equals(c, language, StringComparison.OrdinalIgnoreCase)) is { } known ? CultureInfo.GetCultureInfo(known)
        : throw new ValidationFailedException("Language", $"Choose a report language: {string.Join(" or ", Cultures)}.");

    /// <summary>
    /// The sentences services store in English (alert findings, audit summaries, scoring explanations): each one a resource
    /// key with numbered placeholders. A stored text that matches one is shown in the reader's language with its
    /// arguments (codes, states, nested sentences) translated in turn; keep the services' wording and these in step.
    /// </summary>
    public static readonly IReadOnlyList<string> Templates =
    [
        // Scoring (ScorecardEngine)
        "Bank and shareholder loans at most {0} x net assets",
        "Bonds and ABS outstanding at most {0} x net assets",
        "Linear between {0}; flat outside.",
        "{0} = {1} pts",
        "at or below {0} -> {1} pts",
        "at or above {0} -> {1} pts",
        "between {0} ({1} pts) and {2} ({3} pts) -> {4} pts",
        "Funding channels with at least {0}% share",
        // Alert findings (AlertEvaluator) and alert audit summaries (AlertService)
        "Default rate {0}% is above the {1}% limit.",
        "Default rate rose {0} percentage points month on month (limit {1} pp).",
        "PAR30 {0}% is above the {1}% limit.",
        "Own funds are {0}% of the co-lent book, below the {1}% minimum.",
        "No signed loan tape for {0}, {1} days after the month ended (its filing deadline has passed).",
        "Submission for {0} still missing after {1} days: severity {2}.",
        "{0} → {1}: {2}",
        "{0} → {1}",
        "{0} -> {1}. {2}",
        "{0} -> {1}.",
        "Assigned to {0}.",
        "{0} added to the watch list: {1}",
        // Audit summaries of other services
        "Scorecard v{0} \"{1}\" drafted from v{2}.",
        "Scorecard v{0} \"{1}\" activated.",
        "{0} drafted for {1}.",
        "{0}: {1} warnings confirmed.",
        "{0} is in the supervision report for {1}.",
        "Downloaded the supervision report for {0}.",
        "Created {0} ({1}), {2}, {3}.",
        "{0} signed in.",
        "{0} signed out.",
        "{0} signed out everywhere.",
        "{0}: password reset; sessions ended.",
        "{0}: signed out everywhere by an administrator.",
        "Own platform: {0}",
        "Provinces: {0}",
        "{0}: {1}",
    ];

    private static readonly string[] WordPrefixes = ["", "Word.", "AlertState.", "State.", "Severity.", "AlertRule.", "Province.", "Role.", "Action."];

    private static readonly (string Key, Regex Pattern)[] Patterns = [.. Templates
        .Select(t => (Key: t, Pattern: new Regex("^" + Regex.Replace(Regex.Escape(t), @"\\\{(\d)}", m => $"(?<a{m.Groups[1].Value}>.+?)") + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant)))
        .OrderByDescending(p => Regex.Replace(p.Key, @"\{\d\}", "").Length)];

    /// <summary>
    /// A text a service stored in English, in <paramref name="culture"/>: a resource key (or stored code) as such, a
    /// sentence of <see cref="Templates"/> with its arguments translated, a list of such parts; anything else (numbers,
    /// codes, what people typed) unchanged.
    /// </summary>
    public static string Translate(this IDomainText text, string? stored, CultureInfo culture) =>
        string.IsNullOrEmpty(stored) || culture.Name.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? stored ?? "" : TranslateText(text, stored, culture, 0);

    private static string TranslateText(IDomainText text, string stored, CultureInfo culture, int depth)
    {
        foreach (var prefix in WordPrefixes)
        {
            var key = prefix + stored;
            if (text.Get(key, culture) is var word && word != key)
            {
                return word;
            }
        }

        if (depth > 3)
        {
            return stored;
        }

        // A list whose every part is a known text, e.g. "0% = 100 pts, 5% = 0 pts" or "Guangdong, Zhejiang".
        if (stored.Contains(", ", StringComparison.Ordinal))
        {
            var parts = stored.Split(", ");
            var translated = parts.Select(p => TranslateText(text, p, culture, depth + 1)).ToArray();
            if (translated.Zip(parts).All(t => t.First != t.Second))
            {
                return string.Join(text.Get("list separator", culture), translated);
            }
        }

        foreach (var (key, pattern) in Patterns)
        {
            if (pattern.Match(stored) is { Success: true } match)
            {
                var args = Enumerable.Range(0, 10).TakeWhile(i => match.Groups[$"a{i}"].Success)
                    .Select(i => (object?)TranslateText(text, match.Groups[$"a{i}"].Value, culture, depth + 1)).ToArray();
                return string.Format(culture, text.Get(key, culture), args);
            }
        }

        return stored;
    }
}
