using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Infrastructure.Security;

public static class DataProtectionSetup
{
    /// <summary>
    /// The keys that protect sign-in cookies, bearer tokens and mailed links live in the database, so that every
    /// instance behind the load balancer reads the same key ring (no sticky sessions) and a restart signs no one
    /// out. Each key's secret is encrypted under the platform master secret (<see cref="MasterSecretXmlEncryptor"/>).
    /// <para>
    /// The former key folder (<c>DataProtection:KeysPath</c>, default data/keys) is no longer read: on upgrade,
    /// people are signed out once and links mailed before it (24 h at most) must be asked for again.
    /// </para>
    /// </summary>
    public static IServiceCollection AddPliDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Pli").PersistKeysToDbContext<PliDbContext>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<IKeyEncryptionKeyProvider>((o, keyEncryptionKeys) => o.XmlEncryptor = new MasterSecretXmlEncryptor(keyEncryptionKeys));
        return services;
    }
}
