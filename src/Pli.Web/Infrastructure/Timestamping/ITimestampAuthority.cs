namespace Pli.Web.Infrastructure.Timestamping;

/// <summary>
/// A time-stamping authority (RFC 3161): it signs that a digest existed at a given instant, so that a
/// company can prove when its pli was received without trusting Pli's clock or database.
/// </summary>
public interface ITimestampAuthority
{
    /// <summary>
    /// Stamps a SHA-256 digest (32 bytes) and returns the RFC 3161 answer. The answer is checked before it
    /// is returned: status granted, token signed by the authority's certificate, imprint equal to
    /// <paramref name="sha256Digest"/> and nonce echoed; anything else throws <see cref="TimestampingException"/>.
    /// </summary>
    Task<TimestampResult> StampAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// The PEM of the certificate(s) that verify the tokens (TSA certificate; chain if any), for
    /// <c>openssl ts -verify -CAfile</c>.
    /// </summary>
    Task<string> GetCertificatePemAsync(CancellationToken cancellationToken = default);
}

/// <summary>A checked RFC 3161 answer.</summary>
/// <param name="ResponseDer">The whole DER TimeStampResp (status granted): what a <c>.tsr</c> file holds.</param>
/// <param name="TokenDer">The TimeStampToken alone (CMS SignedData over the TSTInfo).</param>
/// <param name="GenTime">The instant the authority certifies, UTC.</param>
/// <param name="SerialNumber">The token's serial number in hexadecimal, as <c>openssl ts -reply -text</c> shows it.</param>
/// <param name="PolicyOid">The authority's policy under which the token was issued.</param>
/// <param name="AuthorityName">The authority's name in the token, else its signing certificate's subject.</param>
public sealed record TimestampResult(byte[] ResponseDer, byte[] TokenDer, DateTimeOffset GenTime, string SerialNumber, string PolicyOid, string AuthorityName);
