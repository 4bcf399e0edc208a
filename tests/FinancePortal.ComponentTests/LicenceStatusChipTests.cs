using System.Globalization;
using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Web.Components.Shared;

namespace FinancePortal.ComponentTests;

public class LicenceStatusChipTests : PortalComponentTestBase
{
    [Theory]
    [InlineData(LicenceStatus.Applicant, "Applicant", "default")]
    [InlineData(LicenceStatus.Licensed, "Licensed", "success")]
    [InlineData(LicenceStatus.ConditionallyLicensed, "Conditionally licensed", "info")]
    [InlineData(LicenceStatus.Suspended, "Suspended", "warning")]
    [InlineData(LicenceStatus.Revoked, "Revoked", "error")]
    public void Chip_shows_the_localized_status_in_the_colour_of_the_status(LicenceStatus status, string text, string colour)
    {
        var chip = Render<LicenceStatusChip>(p => p.Add(c => c.Status, status));

        var element = chip.Find($"[data-status='{status}']");
        Assert.Equal(text, element.TextContent.Trim());
        Assert.Contains($"mud-chip-color-{colour}", element.ClassList);
        Assert.DoesNotContain(element.ClassList, c => c.StartsWith("mud-chip-color-", StringComparison.Ordinal) && c != $"mud-chip-color-{colour}");
    }

    [Fact]
    public void Every_status_has_its_own_colour()
    {
        var colours = Enum.GetValues<LicenceStatus>().Select(LicenceStatusChip.ColorFor).ToList();

        Assert.Equal(colours.Count, colours.Distinct().Count());
    }

    [Fact]
    public void Chip_follows_the_Chinese_UI_culture()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");

        var chip = Render<LicenceStatusChip>(p => p.Add(c => c.Status, LicenceStatus.Suspended));

        Assert.Equal("已暂停", chip.Find("[data-status='Suspended']").TextContent.Trim());
    }
}
