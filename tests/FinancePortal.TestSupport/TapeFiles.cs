using System.Text;

namespace FinancePortal.TestSupport;

/// <summary>Small loan tapes for tests, written as the filers' CSV format.</summary>
public static class TapeFiles
{
    public static readonly string Header = string.Join(',', FinancePortal.Application.Features.LoanTapes.LoanTapeFormat.Columns);

    /// <summary>A valid row; override fields by name, e.g. <c>("status", "DEFAULTED")</c>.</summary>
    public static string Row(string platform, string period, int n, params (string Column, string Value)[] overrides)
    {
        var values = new Dictionary<string, string>
        {
            ["platform_code"] = platform, ["reporting_month"] = period, ["loan_id"] = $"T{n:D6}", ["borrower_ref"] = $"B{n:D6}",
            ["product_type"] = "INSTALLMENT", ["scenario"] = "ECOMMERCE", ["origination_date"] = $"{period}-01", ["principal"] = "12000.00",
            ["credit_limit"] = "0", ["term_months"] = "12", ["annual_rate_pct"] = "18", ["outstanding_principal"] = "9000.00",
            ["days_past_due"] = "0", ["status"] = "CURRENT", ["charge_off_amount"] = "0", ["recovery_amount"] = "0", ["funding_source"] = "OWN_FUNDS",
        };
        foreach (var (column, value) in overrides)
        {
            values[column] = value;
        }

        return string.Join(',', Header.Split(',').Select(c => values[c]));
    }

    public static MemoryStream Csv(string platform, string period, int rows, Func<int, (string, string)[]>? overrides = null)
    {
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 1; i <= rows; i++)
        {
            text.Append(Row(platform, period, i, overrides?.Invoke(i) ?? [])).Append('\n');
        }

        return new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
