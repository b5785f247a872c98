using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>
/// The master secret from <c>Crypto:MasterKey</c>; when it is absent (allowed in Development and Testing
/// only, see <see cref="CryptoOptionsValidator"/>) a random secret generated once into
/// <see cref="CryptoOptions.DevelopmentKeyFile"/>, readable by its owner only.
/// </summary>
public sealed class MasterKeyProvider(IOptions<CryptoOptions> options, IHostEnvironment environment) : IKeyEncryptionKeyProvider
{
    private const int KeySize = 32;
    private readonly Lazy<byte[]> _secret = new(() => Load(options.Value, environment));

    public byte[] GetKeyEncryptionKey() => (byte[])_secret.Value.Clone();

    private static byte[] Load(CryptoOptions options, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(options.MasterKey))
        {
            var configured = Convert.FromBase64String(options.MasterKey.Trim());
            return configured.Length == KeySize ? configured : throw new InvalidOperationException("Crypto:MasterKey must be the base64 of exactly 32 bytes.");
        }
        var path = Path.IsPathRooted(options.DevelopmentKeyFile) ? options.DevelopmentKeyFile : Path.Combine(environment.ContentRootPath, options.DevelopmentKeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var generated = RandomNumberGenerator.GetBytes(KeySize);
            try
            {
                var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using var stream = new FileStream(path, file);
                stream.Write(generated);
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance created it first: use that one.
            }
        }
        var secret = File.ReadAllBytes(path);
        return secret.Length == KeySize ? secret : throw new InvalidOperationException($"The development master key file {path} must hold exactly 32 bytes.");
    }
}
