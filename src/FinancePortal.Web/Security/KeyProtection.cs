using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace FinancePortal.Web.Security;

/// <summary>
/// Data-protection keys at rest (<c>DataProtection:Certificate</c>): the key ring in the database is encrypted with a
/// certificate, from a PFX file (<c>Path</c>, <c>Password</c>) or from the certificate store (<c>Thumbprint</c>,
/// <c>StoreLocation</c> CurrentUser or LocalMachine). Required outside Development: without one the portal does not
/// start and says what to set. Development without a certificate keeps its keys unencrypted, as before.
/// </summary>
public static class KeyProtection
{
    public const string Section = "DataProtection:Certificate";

    public const string MissingMessage =
        "Data-protection keys must be encrypted at rest outside Development. Set DataProtection:Certificate:Path (a PFX file " +
        "with its private key; DataProtection:Certificate:Password if it has one) or DataProtection:Certificate:Thumbprint " +
        "(a certificate in the store named by DataProtection:Certificate:StoreLocation, CurrentUser by default). Every " +
        "instance needs the same certificate. See docs/deployment.md, \"Data-protection keys\".";

    public static IServiceCollection AddPortalKeyProtection(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var certificate = Load(configuration.GetSection(Section));
        if (certificate is null)
        {
            return environment.IsDevelopment() ? services : throw new InvalidOperationException(MissingMessage);
        }

        services.AddDataProtection().ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        return services;
    }

    /// <summary>The configured certificate with its private key, null when none is configured; a clear error when it cannot be used.</summary>
    public static X509Certificate2? Load(IConfigurationSection settings)
    {
        var path = settings["Path"];
        var thumbprint = settings["Thumbprint"];
        X509Certificate2 certificate;
        if (!string.IsNullOrWhiteSpace(path))
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"DataProtection:Certificate:Path names a file that does not exist ({Path.GetFileName(path)}). " + MissingMessage);
            }

            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, settings["Password"], X509KeyStorageFlags.EphemeralKeySet);
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                throw new InvalidOperationException($"DataProtection:Certificate:Path could not be read as a PFX file with DataProtection:Certificate:Password ({ex.Message}).", ex);
            }
        }
        else if (!string.IsNullOrWhiteSpace(thumbprint))
        {
            var location = Enum.TryParse<StoreLocation>(settings["StoreLocation"], ignoreCase: true, out var l) ? l : StoreLocation.CurrentUser;
            using var store = new X509Store(StoreName.My, location);
            store.Open(OpenFlags.ReadOnly);
            certificate = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint.Replace(" ", "", StringComparison.Ordinal), validOnly: false)
                .FirstOrDefault()
                ?? throw new InvalidOperationException($"No certificate with thumbprint {thumbprint} in the {location} certificate store. " + MissingMessage);
        }
        else
        {
            return null;
        }

        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException("The data-protection certificate has no private key: the portal could encrypt keys with it but never read them back.");
    }
}
