using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Crypto;

public static class CryptoServiceCollectionExtensions
{
    /// <summary>Sealed files, consultation key pairs and committee keys; the master key is checked at start (see <see cref="CryptoOptions.MasterKey"/>).</summary>
    public static IServiceCollection AddCrypto(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CryptoOptions>().Bind(configuration.GetSection(CryptoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CryptoOptions>, CryptoOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKeyEncryptionKeyProvider, MasterKeyProvider>();
        services.AddSingleton<ConsultationKeys>();
        services.AddSingleton<SealedFiles>();
        services.AddSingleton<OpenerKeys>();
        services.AddSingleton<CommitteeKeys>();
        return services;
    }
}
