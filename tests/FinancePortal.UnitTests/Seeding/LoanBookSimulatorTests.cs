using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.Seeding;

namespace FinancePortal.UnitTests.Seeding;

/// <summary>The one loan-book generator of the demo seeder and the benchmark: deterministic, consistent rows, loans that persist.</summary>
public class LoanBookSimulatorTests
{
    private static readonly IReadOnlyList<string> Months = Periods.Range("2025-01", "2025-12");

    private static List<List<LoanRecord>> Run(string code, int seed)
    {
        var book = new LoanBookSimulator(code, seed);
        book.Season(Months[0], 12, 80, new LoanBookRisk(0.04));
        return Months.Select((period, i) => book.NextMonth(period, 60 + i, new LoanBookRisk(0.04 + 0.004 * i, i / 12.0))).ToList();
    }

    private static string Line(LoanRecord r) =>
        $"{r.Period}|{r.LoanId}|{r.BorrowerRef}|{r.ProductType}|{r.Scenario}|{r.OriginationDate}|{r.Principal}|{r.CreditLimit}|{r.TermMonths}|{r.AnnualRatePct}|{r.OutstandingPrincipal}|{r.DaysPastDue}|{r.Status}|{r.ChargeOffAmount}|{r.RecoveryAmount}|{r.FundingSource}";

    [Fact]
    public void The_same_seed_gives_the_same_rows_and_another_seed_other_rows()
    {
        var first = Run("AB", 42).SelectMany(m => m).Select(Line).ToList();

        Assert.Equal(first, Run("AB", 42).SelectMany(m => m).Select(Line).ToList());
        Assert.NotEqual(first, Run("AB", 43).SelectMany(m => m).Select(Line).ToList());
        Assert.Equal(LoanBookSimulator.StableSeed("QFEN"), LoanBookSimulator.StableSeed("QFEN"));
    }

    [Fact]
    public void Every_row_has_a_status_that_matches_its_days_past_due_and_charge_offs_carry_their_delinquency()
    {
        var rows = Run("AB", 7).SelectMany(m => m).ToList();

        Assert.All(rows, r => Assert.True(LoanTapeFormat.Statuses.TryParse(r.Status, out var status) && LoanTapeValidator.StatusMatchesDpd(status, r.DaysPastDue), Line(r)));
        Assert.All(rows.Where(r => r.Status == "CHARGED_OFF"), r => Assert.True(r.DaysPastDue >= 90 && r.OutstandingPrincipal == 0, Line(r)));
        Assert.All(rows.Where(r => r.Status == "REPAID"), r => Assert.Equal((0, 0m), (r.DaysPastDue, r.OutstandingPrincipal)));
        Assert.All(rows, r => Assert.InRange(r.OutstandingPrincipal, 0m, r.Principal));
        Assert.Contains(rows, r => r.Status == "CHARGED_OFF" && r.ChargeOffAmount > 0);
        Assert.Contains(rows, r => r.Status == "DEFAULTED");
        Assert.Contains(rows, r => r.Status == "DELINQUENT" && r.DaysPastDue < 30);
    }

    [Fact]
    public void Loans_keep_their_id_from_month_to_month_and_each_month_lists_a_loan_once()
    {
        var months = Run("AB", 7);

        Assert.All(months, m => Assert.Equal(m.Count, m.Select(r => r.LoanId).Distinct().Count()));
        for (var i = 1; i < months.Count; i++)
        {
            var before = months[i - 1].Where(r => r.Status is not ("REPAID" or "CHARGED_OFF")).Select(r => r.LoanId).ToHashSet();
            var now = months[i].Select(r => r.LoanId).ToHashSet();
            Assert.Subset(now, before); // every open loan of last month is reported again
        }
    }

    [Fact]
    public void A_book_of_a_given_size_is_refilled_to_it_and_exactly_with_exact()
    {
        var book = new LoanBookSimulator("BM01", 7_001);
        var sizes = Months.Select(p => book.NextMonthOfSize(p, 500, new LoanBookRisk(0.03)).Count).ToList();
        Assert.All(sizes, n => Assert.InRange(n, 450, 560));
        Assert.Equal(2_000, book.NextMonthOfSize("2026-01", 2_000, new LoanBookRisk(0.03), exact: true).Count);
    }
}
