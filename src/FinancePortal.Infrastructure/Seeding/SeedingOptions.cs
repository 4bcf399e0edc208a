namespace FinancePortal.Infrastructure.Seeding;

/// <summary>The <c>Seeding</c> section of the settings.</summary>
public sealed class SeedingOptions
{
    public const string Section = "Seeding";

    /// <summary>Seed deterministic demo platforms and one demo account per role into an empty database.</summary>
    public bool Demo { get; set; }

    /// <summary>Password of every demo account. Demo accounts exist only while <see cref="Demo"/> is on.</summary>
    public string DemoPassword { get; set; } = "Demo!Portal2026";

    /// <summary>Size of the demo loan tapes: 1 gives ~250,000 loan rows over 24 months; raise it for a larger demo.</summary>
    public double LoanTapeScale { get; set; } = 1.0;

    /// <summary>
    /// Last month (<c>YYYY-MM</c>) of the demo's 24 months of loan tapes. Empty (the default): the last month whose
    /// submission deadline has passed when the database is seeded, so a fresh demo is never behind the calendar.
    /// The tests pin it (<see cref="DemoSeeder.PinnedLastLoanTapePeriod"/>) so that their months do not move.
    /// </summary>
    public string? LastLoanTapePeriod { get; set; }
}
