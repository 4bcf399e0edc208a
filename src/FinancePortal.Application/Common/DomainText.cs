using System.Globalization;
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
}
