using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FinancePortal.TestSupport;

/// <summary>A self-signed certificate for tests that protect data-protection keys at rest (made once per test run).</summary>
public static class TestCertificates
{
    public const string Password = "test-only-certificate";

    private static readonly Lazy<string> Pfx = new(Create);

    /// <summary>A PFX file (with <see cref="Password"/>) holding a 2048-bit RSA key: DataProtection:Certificate:Path.</summary>
    public static string DataProtectionPfx => Pfx.Value;

    private static string Create()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=FinancePortal test data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(Path.GetTempPath(), "financeportal-tests", $"data-protection-{Guid.NewGuid():N}.pfx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
