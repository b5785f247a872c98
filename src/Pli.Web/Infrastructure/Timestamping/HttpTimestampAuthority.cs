using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Pli.Web.Infrastructure.Timestamping;

/// <summary>
/// An external RFC 3161 authority at <see cref="TimestampingOptions.Url"/> (in production, a qualified
/// eIDAS one), spoken to over HTTP (RFC 3161 §3.4). Its tokens must be signed by a certificate of
/// <see cref="TimestampingOptions.CertificatePemPath"/> when the operator gives one, else by the certificate
/// the token carries (asked with certReq).
/// </summary>
public sealed class HttpTimestampAuthority(HttpClient http, IOptions<TimestampingOptions> options, IHostEnvironment environment, HttpTimestampCertificates seen) : ITimestampAuthority
{
    private static readonly string[] ReplyMediaTypes = [Rfc3161.ReplyMediaType, "application/timestamp-response"];

    private readonly Uri _url = new(options.Value.Url ?? throw new InvalidOperationException("Timestamping:Url is not set."));

    public async Task<TimestampResult> StampAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default)
    {
        var request = Rfc3161.CreateRequest(sha256Digest);
        var trusted = await ConfiguredCertificatesAsync(cancellationToken);
        var result = Rfc3161.Read(await PostAsync(request, cancellationToken), request, trusted, _url.ToString());
        if (trusted is null)
        {
            seen.Pem = Rfc3161.ToPem(Rfc3161.Certificates(new TimeStampToken(new CmsSignedData(result.TokenDer))));
        }
        return result;
    }

    public async Task<string> GetCertificatePemAsync(CancellationToken cancellationToken = default)
    {
        if (await ConfiguredCertificatesAsync(cancellationToken) is { } configured)
        {
            return Rfc3161.ToPem(configured);
        }
        if (seen.Pem is null)
        {
            // No certificate given by the operator and no token seen yet: one stamp of a fixed digest
            // brings the authority's certificates, kept for the next calls.
            await StampAsync(SHA256.HashData("Pli : certificats de l'autorité d'horodatage"u8.ToArray()), cancellationToken);
        }
        return seen.Pem!;
    }

    private async Task<byte[]> PostAsync(TimeStampRequest request, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(request.GetEncoded());
        content.Headers.ContentType = new MediaTypeHeaderValue(Rfc3161.QueryMediaType);
        try
        {
            using var response = await http.PostAsync(_url, content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new TimestampingException($"L'autorité d'horodatage {_url} a répondu HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (!ReplyMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            {
                throw new TimestampingException($"L'autorité d'horodatage {_url} a répondu en {mediaType ?? "type inconnu"} au lieu de {Rfc3161.ReplyMediaType}.");
            }
            return await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new TimestampingException($"L'autorité d'horodatage {_url} est injoignable : {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimestampingException($"L'autorité d'horodatage {_url} n'a pas répondu en {options.Value.Timeout.TotalSeconds:0} s.", e);
        }
    }

    private async Task<IReadOnlyList<BcCertificate>?> ConfiguredCertificatesAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.CertificatePemPath))
        {
            return null;
        }
        var path = options.Value.CertificatePemPath;
        path = Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path);
        string pem;
        try
        {
            pem = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TimestampingException($"Timestamping:CertificatePemPath {path} est illisible : {e.Message}", e);
        }
        var certificates = Rfc3161.ParsePem(pem);
        return certificates.Count > 0 ? certificates : throw new TimestampingException($"Timestamping:CertificatePemPath {path} ne contient aucun certificat PEM.");
    }
}

/// <summary>The certificates an external authority embedded in its last token, kept for <see cref="HttpTimestampAuthority.GetCertificatePemAsync"/>.</summary>
public sealed class HttpTimestampCertificates
{
    private volatile string? _pem;

    public string? Pem
    {
        get => _pem;
        set => _pem = value;
    }
}
