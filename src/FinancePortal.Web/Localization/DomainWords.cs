using System.Globalization;
using FinancePortal.Application;

namespace FinancePortal.Web.Localization;

/// <summary>What services stored in English (findings, summaries, scoring explanations), in the reader's UI language.</summary>
public static class DomainWords
{
    private static readonly IDomainText Text = new ResourceDomainText();

    /// <summary><paramref name="stored"/> translated with <see cref="DomainText.Translate"/> into the current UI culture.</summary>
    public static string T(string? stored) => Text.Translate(stored, CultureInfo.CurrentUICulture);
}
