using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Users;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.Application.Security;

namespace FinancePortal.UnitTests;

public class DomainRulesTests
{
    private static PlatformInput ValidPlatform() => new()
    {
        Code = "JDBT",
        LegalName = "Beijing Jingbai Consumer Credit Co., Ltd.",
        Province = "Beijing",
        Kind = PlatformKind.EcommerceEcosystem,
        RegisteredCapital = 1_000_000_000m,
    };

    [Fact]
    public void A_valid_platform_has_no_errors() => Assert.Empty(PlatformValidator.Validate(ValidPlatform()));

    [Theory]
    [InlineData("jdbt")]
    [InlineData("J")]
    [InlineData("JD-BT")]
    [InlineData("ABCDEFGHIJKLMNOPQ")]
    public void Platform_code_must_be_2_to_16_capitals_or_digits(string code)
    {
        var input = ValidPlatform();
        input.Code = code;
        Assert.Contains("capital letters or digits", PlatformValidator.Validate(input)[nameof(PlatformInput.Code)]);
    }

    [Theory]
    [InlineData("-0.01", "cannot be negative")]
    [InlineData("0.001", "at most two decimal places")]
    [InlineData("10000000000000.01", "must be at most")]
    public void Registered_capital_errors_are_specific(string amount, string expected)
    {
        var input = ValidPlatform();
        input.RegisteredCapital = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(expected, PlatformValidator.Validate(input)[nameof(PlatformInput.RegisteredCapital)]);
    }

    [Fact]
    public void Unknown_province_is_rejected()
    {
        var input = ValidPlatform();
        input.Province = "Atlantis";
        Assert.True(PlatformValidator.Validate(input).ContainsKey(nameof(PlatformInput.Province)));
    }

    [Fact]
    public void An_operator_must_be_bound_to_one_platform_and_hold_no_regulator_role()
    {
        var unbound = new UserInput { Email = "op@x.cn", DisplayName = "Op", Roles = [Roles.Operator], Password = "x" };
        Assert.Contains("exactly one platform", UserValidator.Validate(unbound, creating: true)[nameof(UserInput.PlatformId)]);

        var mixed = new UserInput { Email = "op@x.cn", DisplayName = "Op", Roles = [Roles.Operator, Roles.Reviewer], PlatformId = 1, Password = "x" };
        Assert.Contains("cannot also hold a regulator role", UserValidator.Validate(mixed, creating: true)[nameof(UserInput.Roles)]);

        var bound = new UserInput { Email = "op@x.cn", DisplayName = "Op", Roles = [Roles.Operator], PlatformId = 1, Password = "x" };
        Assert.Empty(UserValidator.Validate(bound, creating: true));
    }

    [Fact]
    public void A_regulator_cannot_be_bound_to_a_platform_and_provinces_must_be_known()
    {
        var input = new UserInput { Email = "r@x.cn", DisplayName = "R", Roles = [Roles.Reviewer], PlatformId = 2, Provinces = ["Narnia"] };
        var errors = UserValidator.Validate(input, creating: false);
        Assert.Contains("Only Operators", errors[nameof(UserInput.PlatformId)]);
        Assert.Contains("Unknown province: Narnia", errors[nameof(UserInput.Provinces)]);
    }

    [Fact]
    public void Demand_refuses_users_without_the_role_and_allows_the_system()
    {
        var analyst = new UserContext("1", "a", [Roles.Analyst]);
        var ex = Assert.Throws<ForbiddenException>(() => analyst.Demand(Roles.Admin));
        Assert.Contains("Admin", ex.Message);
        analyst.Demand(Roles.Admin, Roles.Analyst);
        UserContext.System.Demand(Roles.Admin);
        Assert.Throws<ForbiddenException>(() => UserContext.Anonymous.Demand(Roles.All.ToArray()));
    }

    [Fact]
    public void Provinces_round_trip_through_storage_sorted_and_distinct()
    {
        var stored = Provinces.Format(["Guangdong", "Beijing", "Guangdong"]);
        Assert.Equal("Beijing,Guangdong", stored);
        Assert.Equal(["Beijing", "Guangdong"], Provinces.Parse(stored));
        Assert.Empty(Provinces.Parse(""));
    }

    [Fact]
    public void Page_request_clamps_page_size_and_computes_skip()
    {
        Assert.Equal(PageRequest.MaxPageSize, new PageRequest(0, 100_000).SafePageSize);
        Assert.Equal(1, new PageRequest(0, 0).SafePageSize);
        Assert.Equal(50, new PageRequest(2, 25).Skip);
        Assert.Equal(0, new PageRequest(-3, 25).Skip);
    }
}
