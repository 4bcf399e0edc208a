namespace FinancePortal.Infrastructure.Seeding;

/// <summary>The <c>Seeding</c> section of the settings.</summary>
public sealed class SeedingOptions
{
    public const string Section = "Seeding";

    /// <summary>Seed deterministic demo platforms and one demo account per role into an empty database.</summary>
    public bool Demo { get; set; }

    /// <summary>Password of every demo account. Demo accounts exist only while <see cref="Demo"/> is on.</summary>
    public string DemoPassword { get; set; } = "Demo!Portal2026";
}
