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

    [Theory]
    [InlineData("SharedResource.resx")]
    [InlineData("SharedResource.zh-CN.resx")]
    public void No_two_keys_differ_only_by_case(string file)
    {
        // The resource compiler treats names case-insensitively and silently drops the second of
        // "Late"/"late", so one of the two texts would never be shown in that language.
        var clashes = Resx(file).Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)).ToList();
        Assert.True(clashes.Count == 0, "Keys differing only by case:\n" + string.Join("\n", clashes));
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
            .Concat(Enum.GetNames<FinancePortal.Application.Features.LoanTapes.MonthState>().SelectMany(n => new[] { $"Month.{n}", $"Month.{n}.Short" }))
            .Concat(Enum.GetValues<FinancePortal.Application.Domain.SubmissionStatus>().Select(FinancePortal.Application.Features.LoanTapes.SubmissionService.Words))
            .Append(FinancePortal.Application.Features.LoanTapes.SubmissionService.AttestationText)
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

    /// <summary>Values that read the same in Chinese: codes, units, symbols, formats and proper names.</summary>
    private static readonly HashSet<string> SameInBothLanguages = new(StringComparer.Ordinal)
    {
        "Excel (XLSX)", "PAR30", "PAR60", "PAR90", "DPD", "RMB", "CSV", "XLSX", "PDF", "UTC", "ID", "{0} → {1}", "{0}%", "%", "—", "·",
    };

    [Fact]
    public void Chinese_values_are_not_left_in_English()
    {
        var en = Resx("SharedResource.resx");
        var zh = Resx("SharedResource.zh-CN.resx");
        var untranslated = zh
            .Where(kv => en.TryGetValue(kv.Key, out var english) && english == kv.Value && LatinWord().IsMatch(kv.Value))
            .Where(kv => !SameInBothLanguages.Contains(kv.Value) && !CodeOnly().IsMatch(kv.Value))
            .Select(kv => $"{kv.Key} = {kv.Value}")
            .ToList();
        Assert.True(untranslated.Count == 0, "zh-CN values still in English:\n" + string.Join("\n", untranslated));
    }

    [Fact]
    public void Domain_texts_built_by_services_have_Chinese_resources()
    {
        var zh = Resx("SharedResource.zh-CN.resx");
        var keys = FinancePortal.Application.DomainText.Templates
            .Concat(FinancePortal.Application.Domain.Provinces.All.Select(p => $"Province.{p}"))
            .Concat(typeof(FinancePortal.Application.Domain.AuditActions).GetFields().Select(f => $"AuditAction.{f.GetValue(null)}"))
            .Concat(Enum.GetNames<FinancePortal.Application.Features.Applications.WorkflowAction>().Select(a => $"AuditAction.Application{a}"))
            .Concat(FinancePortal.Application.Features.Scorecards.ScoringInputs.All.Select(i => i.Label).Where(l => !l.StartsWith("Funding channels", StringComparison.Ordinal)))
            .Concat(FinancePortal.Application.Features.Scorecards.ScoringInputs.All.Select(i => i.Unit).Where(u => u is not ("" or "%" or "RMB")))
            .Concat(Enum.GetValues<FinancePortal.Application.Domain.Band>().Select(FinancePortal.Application.Features.Scorecards.ScorecardEngine.Recommendation))
            .Concat(FinancePortal.Application.Features.Scorecards.ScorecardEngine.EvaluateKnockouts(
                FinancePortal.Application.Features.Scorecards.ScorecardDefaults.Definition.Knockouts, new FinancePortal.Application.Domain.ApplicationInputs())
                .Select(k => k.Rule).Where(r => !r.Contains(" x net assets", StringComparison.Ordinal)))
            .Concat(["MudDataGridPager_RowsPerPage", "MudDataGridPager_InfoFormat", "National", "pp", "Word.yes", "Word.no", "Raised"]);
        Assert.All(keys, k => Assert.True(zh.ContainsKey(k), $"Missing zh-CN key {k}"));
    }

    [Theory]
    [InlineData("Reject: at least one knock-out rule failed.", "不予批准：至少一项否决性规则未通过。")]
    [InlineData("Bank and shareholder loans at most 2 x net assets", "银行借款和股东借款不超过净资产的 2 倍")]
    [InlineData("Linear between 0% = 100 pts, 5% = 0 pts; flat outside.", "在 0% 对应 100 分、5% 对应 0 分 之间线性插值；区间外取端点分值。")]
    [InlineData("between 2 (40 pts) and 5 (80 pts) -> 60 pts", "介于 2（40 分）与 5（80 分）之间，得 60 分")]
    [InlineData("Default rate 5.85% is above the 5% limit.", "违约率 5.85% 高于 5% 的限额。")]
    [InlineData("Open → Acknowledged", "待处理 → 已确认")]
    [InlineData("Escalated → Closed: Plan accepted.", "已升级 → 已关闭：Plan accepted.")]
    [InlineData("Provinces: Guangdong, Zhejiang", "辖区：广东省、浙江省")]
    [InlineData("Own platform: JDBT", "本平台：JDBT")]
    [InlineData("Funding channels with at least 5% share", "占比不低于 5% 的资金渠道数")]
    [InlineData("Created ABCD (Acme Co., Ltd.), EcommerceEcosystem, Zhejiang.", "已创建 ABCD（Acme Co., Ltd.），电商生态平台，浙江省。")]
    [InlineData("yes", "是")]
    [InlineData("no", "否")]
    [InlineData("Typed by a person", "Typed by a person")]
    public void Stored_English_texts_are_shown_in_Chinese(string stored, string expected)
    {
        var text = new FinancePortal.Web.Localization.ResourceDomainText();
        var zh = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        Assert.Equal(expected, FinancePortal.Application.DomainText.Translate(text, stored, zh));
        Assert.Equal(stored, FinancePortal.Application.DomainText.Translate(text, stored, System.Globalization.CultureInfo.GetCultureInfo("en")));
    }

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex LatinWord();

    /// <summary>Codes and placeholders only, e.g. "PAR30 {0}", "v{0}", "MA-2026".</summary>
    [GeneratedRegex(@"^[A-Z0-9{}\s\-.:/%()+,]*$")]
    private static partial Regex CodeOnly();

    [GeneratedRegex("""L\["([^"]+)"[\],]""")]
    private static partial Regex LiteralKey();
}
