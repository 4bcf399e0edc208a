using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FinancePortal.UnitTests;

public partial class LocalizationTests
{
    private static string WebProject => Path.Combine(RepoRoot(), "src", "FinancePortal.Web");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FinancePortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    private static Dictionary<string, string> Resx(string file) =>
        XDocument.Load(Path.Combine(WebProject, "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    [Fact]
    public void Every_literal_UI_string_has_a_Chinese_translation()
    {
        var zh = Resx("SharedResource.zh-CN.resx");
        var used = Directory.EnumerateFiles(Path.Combine(WebProject, "Components"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .ToList();

        Assert.NotEmpty(used);
        var missing = used.Where(u => !zh.ContainsKey(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct().ToList();
        Assert.True(missing.Count == 0, "Missing zh-CN translations:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void English_and_Chinese_resources_have_the_same_keys_and_no_empty_values()
    {
        var en = Resx("SharedResource.resx");
        var zh = Resx("SharedResource.zh-CN.resx");
        Assert.Equal(en.Keys.Order(), zh.Keys.Order());
        Assert.DoesNotContain(zh, kv => string.IsNullOrWhiteSpace(kv.Value));
    }

    [Fact]
    public void Enum_role_and_navigation_keys_are_translated()
    {
        var zh = Resx("SharedResource.zh-CN.resx");
        var keys = Enum.GetNames<FinancePortal.Application.Domain.PlatformKind>()
            .Concat(Enum.GetNames<FinancePortal.Application.Domain.LicenceStatus>())
            .Concat(Enum.GetNames<FinancePortal.Application.Domain.ApplicationState>().Select(n => $"State.{n}"))
            .Concat(Enum.GetNames<FinancePortal.Application.Domain.Band>().Select(n => $"Band.{n}"))
            .Concat(Enum.GetNames<FinancePortal.Application.Domain.ScorecardStatus>().Select(n => $"Scorecard.{n}"))
            .Concat(Enum.GetNames<FinancePortal.Application.Features.Submissions.MonthState>().SelectMany(n => new[] { $"Month.{n}", $"Month.{n}.Short" }))
            .Concat(Enum.GetValues<FinancePortal.Application.Domain.SubmissionStatus>().Select(FinancePortal.Application.Features.Submissions.SubmissionService.Words))
            .Append(FinancePortal.Application.Features.Submissions.SubmissionService.AttestationText)
            .Concat(FinancePortal.Application.Features.Scorecards.ScorecardDefaults.Definition.Criteria.Select(c => $"Criterion.{c.Key}"))
            .Concat(Enum.GetNames<FinancePortal.Application.Domain.DelinquencyBucket>().Select(n => $"Bucket.{n}"))
            .Concat(FinancePortal.Application.Domain.Products.Types.Select(n => $"Product.{n}"))
            .Concat(FinancePortal.Application.Features.Reports.ReportService.Sections.Select(n => $"Section.{n}"))
            .Concat(Enum.GetNames<FinancePortal.Application.Domain.SupervisoryActionKind>().Select(n => $"Action.{n}"))
            .Concat(Enum.GetNames<FinancePortal.Application.Domain.AlertSeverity>().Select(n => $"Severity.{n}"))
            .Concat(Enum.GetNames<FinancePortal.Application.Domain.AlertState>().Select(n => $"AlertState.{n}"))
            .Concat(Enum.GetNames<FinancePortal.Application.Domain.AlertRule>().Select(n => $"AlertRule.{n}"))
            .Concat(FinancePortal.Application.Domain.Roles.All.SelectMany(r => new[] { $"Role.{r}", $"Role.{r}.Description" }))
            .Concat(FinancePortal.Web.Components.Layout.NavItems.All.SelectMany(i => new[] { i.Label, i.Group }).OfType<string>());
        Assert.All(keys, k => Assert.True(zh.ContainsKey(k), $"Missing zh-CN key {k}"));
    }

    [GeneratedRegex("""L\["([^"]+)"[\],]""")]
    private static partial Regex LiteralKey();
}
