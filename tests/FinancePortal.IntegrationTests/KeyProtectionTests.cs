using FinancePortal.Infrastructure.Data;
using FinancePortal.TestSupport;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests;

/// <summary>
/// Issue 16, observation 7: outside Development the key ring in the database is encrypted with the certificate named in
/// settings, and without one the portal refuses to start with a message that says what to set.
/// </summary>
public sealed class KeyProtectionTests
{
    private static async Task<List<string>> KeyXmlAsync(PortalAppFactory factory)
    {
        factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a sign-in cookie");
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync();
    }

    [Fact]
    public async Task In_production_the_keys_in_the_database_are_encrypted_with_the_certificate()
    {
        await using var production = new Environment("Production");

        var keys = await KeyXmlAsync(production);

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret", xml);
            Assert.DoesNotContain("unencrypted form", xml);
        });
    }

    [Fact]
    public async Task A_second_production_instance_with_the_same_certificate_reads_the_first_ones_cookies()
    {
        await using var first = new Environment("Production");
        var secret = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("session for Liu Yang");
        await using var second = new Environment("Production", ("ConnectionStrings:Sqlite", TestDatabase.ConnectionString(first.DatabasePath)));

        Assert.Equal("session for Liu Yang", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(secret));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/nonexistent/keys.pfx")]
    public async Task In_production_without_a_usable_certificate_the_portal_does_not_start_and_says_what_to_set(string path)
    {
        await using var production = new Environment("Production", ("DataProtection:Certificate:Path", path));

        var failure = Assert.Throws<InvalidOperationException>(() => production.Services);

        Assert.Contains("DataProtection:Certificate:Path", failure.Message);
        Assert.Contains("docs/deployment.md", failure.Message);
    }

    [Fact]
    public async Task Development_without_a_certificate_starts_as_before()
    {
        await using var development = new Environment("Development", ("DataProtection:Certificate:Path", ""));

        var keys = await KeyXmlAsync(development);

        Assert.NotEmpty(keys);
        Assert.All(keys, xml => Assert.DoesNotContain("<encryptedSecret", xml));
    }

    private sealed class Environment(string name, params (string Key, string Value)[] settings) : PortalAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(name);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
