using FinancePortal.Application.Features.LoanTapes;
using static FinancePortal.UnitTests.LoanTapes.LoanTapeTestData;

namespace FinancePortal.UnitTests.LoanTapes;

/// <summary>DOMAIN §4: borrower_ref is a pseudonymous id, "no names, no national ids" (edit V20, blocking).</summary>
public class PersonalIdentifierTests
{
    [Theory]
    [InlineData("11010519491231002X")]           // GB 11643 example, check character X
    [InlineData("11010519491231002x")]
    [InlineData("440304199003070018")]
    [InlineData("ID-320106198506151231")]        // inside a longer reference
    [InlineData("110101199003077512/2")]
    [InlineData("110105491231002")]              // first generation: 15 digits, born 1949-12-31
    public void Resident_identity_numbers_are_recognised(string value) =>
        Assert.Equal(PersonalIdentifiers.IdentityNumber, PersonalIdentifiers.Recognise(value));

    [Theory]
    [InlineData("B00012345")]
    [InlineData("7f3a9c2e-41d0-4b6e-9a57-0c2d8e1f6b3a")]
    [InlineData("440304199003070019")]           // wrong check character
    [InlineData("440304199013070011")]           // month 13: not a date of birth
    [InlineData("440304209903070011")]           // born in 2099
    [InlineData("1234567890123456789")]          // 19 digits: a longer number, not an identity number
    [InlineData("000000000000000")]              // 15 digits without a real date
    [InlineData("HB2024000000001")]
    public void Pseudonymous_ids_and_other_numbers_pass(string value) =>
        Assert.Null(PersonalIdentifiers.Recognise(value));

    [Theory]
    [InlineData("张伟")]
    [InlineData("客户-王芳-01")]
    [InlineData("B0001李")]
    public void Chinese_characters_are_taken_for_a_name(string value) =>
        Assert.Equal(PersonalIdentifiers.Name, PersonalIdentifiers.Recognise(value));

    [Theory]
    [InlineData("440304199003070018", "440*************18")]
    [InlineData("张伟", "**")]
    [InlineData("客户-王芳-01", "客户-***01")]
    public void Masks_keep_only_the_ends_of_long_values(string value, string masked) =>
        Assert.Equal(masked, PersonalIdentifiers.Mask(value));

    [Fact]
    public async Task A_borrower_ref_that_is_an_identity_number_is_a_blocking_V20_finding_with_the_value_masked()
    {
        var result = await CheckCsvAsync(Csv([Loan("L1", ("borrower_ref", "440304199003070018"))]));
        var findings = result.Findings;

        Assert.Empty(result.Rows);
        var finding = Assert.Single(findings);
        Assert.Equal(("V20", "borrower_ref", "L1", "440*************18"), (finding.Code, finding.Column, finding.LoanId, finding.Value));
        Assert.Equal("borrower_ref must be a pseudonymous id, but it looks like a resident identity card number. Replace it with the platform's internal borrower id; names and identity numbers must not be reported.", finding.Message);
        Assert.True(EditRules.Get("V20").IsBlocking);
    }

    [Fact]
    public async Task A_borrower_ref_with_a_name_is_a_V20_finding_and_an_ordinary_id_none()
    {
        var named = await CheckCsvAsync(Csv([Loan("L1", ("borrower_ref", "王芳"))]));
        Assert.Empty(named.Rows);
        Assert.Equal(("V20", "**"), (Assert.Single(named.Findings).Code, named.Findings[0].Value));
        Assert.Contains("a personal name", named.Findings[0].Message);

        var ordinary = await CheckCsvAsync(Csv([Loan("L2", ("borrower_ref", "B00012345"))]));
        Assert.Single(ordinary.Rows);
        Assert.Empty(ordinary.Findings);
    }
}
