namespace FinancePortal.Application;

/// <summary>
/// Formula injection (DOMAIN.md §6): text that a spreadsheet would read as a formula or command. Every export writes
/// such text as a text cell, never as a formula; the workbook writers ask this one rule.
/// </summary>
public static class SafeCell
{
    /// <summary>True for text starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return.</summary>
    public static bool LooksLikeFormula(string? text) =>
        !string.IsNullOrEmpty(text) && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
}
