using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Crypto;

public sealed class CryptoOptions
{
    public const string Section = "Crypto";

    /// <summary>
    /// The platform master secret (base64 of 32 random bytes, e.g. <c>openssl rand -base64 32</c>) that
    /// encrypts every consultation's private key. <b>Production must set it</b> (environment variable
    /// <c>Crypto__MasterKey</c> or a secret store), keep it out of the repository and back it up apart
    /// from the database: without it no sealed deposit can ever be opened. Only the Development and
    /// Testing environments may leave it empty; a key file is then generated once at
    /// <see cref="DevelopmentKeyFile"/>.
    /// </summary>
    public string? MasterKey { get; set; }

    /// <summary>Where the development master secret is generated and kept (relative to the content root).</summary>
    [Required]
    public string DevelopmentKeyFile { get; set; } = "data/crypto/master-key.dev";

    /// <summary>Plaintext bytes per sealed chunk.</summary>
    [Range(4 * 1024, SealedFileFormat.MaxChunkSize)]
    public int ChunkSize { get; set; } = SealedFileFormat.DefaultChunkSize;

    /// <summary>PBKDF2-HMAC-SHA256 iterations protecting the encrypted PKCS#8 private keys (OWASP 2023: 600 000).</summary>
    [Range(100_000, 10_000_000)]
    public int PrivateKeyIterations { get; set; } = 600_000;
}

/// <summary>Refuses at start a malformed master key, and a missing one outside Development and Testing.</summary>
public sealed class CryptoOptionsValidator(IHostEnvironment environment) : IValidateOptions<CryptoOptions>
{
    public ValidateOptionsResult Validate(string? name, CryptoOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.MasterKey))
        {
            return environment.IsDevelopment() || environment.IsEnvironment("Testing")
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Crypto:MasterKey must be set (base64 of 32 random bytes) outside Development and Testing.");
        }
        var bytes = new byte[64];
        return Convert.TryFromBase64String(options.MasterKey.Trim(), bytes, out var written) && written == 32
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Crypto:MasterKey must be the base64 of exactly 32 bytes.");
    }
}
