namespace FinancePortal.Application;

/// <summary>Shared rules for RMB amounts: decimal, at most two decimal places, within a sane range.</summary>
public static class MoneyRules
{
    /// <summary>10 trillion RMB: above any real balance sheet, below decimal(20,2) limits.</summary>
    public const decimal Max = 10_000_000_000_000m;

    public static string? Check(string label, decimal amount, bool allowZero = true)
    {
        if (amount < 0)
        {
            return $"{label} cannot be negative.";
        }

        if (!allowZero && amount == 0)
        {
            return $"{label} must be greater than zero.";
        }

        if (amount > Max)
        {
            return $"{label} must be at most ¥{Max:#,##0}.";
        }

        if (decimal.Round(amount, 2) != amount)
        {
            return $"{label} can have at most two decimal places (fen).";
        }

        return null;
    }

    public static void AddMoneyError(this Dictionary<string, string> errors, string field, string label, decimal amount, bool allowZero = true)
    {
        if (Check(label, amount, allowZero) is { } message)
        {
            errors[field] = message;
        }
    }
}
