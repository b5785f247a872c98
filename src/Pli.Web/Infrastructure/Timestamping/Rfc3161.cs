using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Pli.Web.Infrastructure.Timestamping;

/// <summary>What both authorities share: the query Pli sends and the checks every answer must pass.</summary>
internal static class Rfc3161
{
    public const string TimeStampingEku = "1.3.6.1.5.5.7.3.8";
    public const string QueryMediaType = "application/timestamp-query";
    public const string ReplyMediaType = "application/timestamp-reply";

    /// <summary>A SHA-256 query with a random 64-bit nonce (so an old answer cannot be replayed) asking for the certificate.</summary>
    public static TimeStampRequest CreateRequest(ReadOnlyMemory<byte> sha256Digest)
    {
        if (sha256Digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA-256 digest is {SHA256.HashSizeInBytes} bytes, not {sha256Digest.Length}.", nameof(sha256Digest));
        }
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        return generator.Generate(TspAlgorithms.Sha256, sha256Digest.ToArray(), new BigInteger(1, RandomNumberGenerator.GetBytes(8)));
    }

    /// <summary>
    /// Checks that <paramref name="responseDer"/> grants a token over the request's digest and nonce, signed by
    /// one of <paramref name="trusted"/> (or, when null, by a certificate the token carries), and reads it.
    /// </summary>
    public static TimestampResult Read(byte[] responseDer, TimeStampRequest request, IReadOnlyCollection<X509Certificate>? trusted, string authority)
    {
        TimeStampResponse response;
        try
        {
            response = new TimeStampResponse(responseDer);
        }
        catch (Exception e) when (IsParseError(e))
        {
            throw new TimestampingException($"L'autorité d'horodatage {authority} a répondu autre chose qu'une réponse RFC 3161 lisible.", e);
        }
        if (response.Status != (int)PkiStatus.Granted)
        {
            var failInfo = response.GetFailInfo() is { } info ? $", failInfo {info.IntValue}" : "";
            throw new TimestampingException(
                $"L'autorité d'horodatage {authority} a refusé l'horodatage (statut {response.Status}{failInfo}) : {response.GetStatusString() ?? "sans motif"}.");
        }
        var token = response.TimeStampToken
            ?? throw new TimestampingException($"L'autorité d'horodatage {authority} a accordé l'horodatage sans joindre de jeton.");
        var tstInfo = token.TimeStampInfo;
        if (tstInfo.MessageImprintAlgOid != TspAlgorithms.Sha256 || !tstInfo.GetMessageImprintDigest().AsSpan().SequenceEqual(request.GetMessageImprintDigest()))
        {
            throw new TimestampingException($"Le jeton de l'autorité d'horodatage {authority} ne porte pas sur l'empreinte demandée.");
        }
        if (request.Nonce is not null && !request.Nonce.Equals(tstInfo.Nonce))
        {
            throw new TimestampingException($"Le jeton de l'autorité d'horodatage {authority} ne reprend pas le nonce de la demande : ce n'est pas la réponse à cette demande.");
        }
        var signer = (trusted ?? Certificates(token)).FirstOrDefault(token.SignerID.Match)
            ?? throw new TimestampingException(trusted is null
                ? $"Le jeton de l'autorité d'horodatage {authority} ne contient pas le certificat qui l'a signé."
                : $"Le jeton de l'autorité d'horodatage {authority} est signé par un certificat autre que ceux de Timestamping:CertificatePemPath.");
        try
        {
            // Checks the signature, the signingCertificate(V2) hash, the timeStamping EKU and the validity at genTime.
            token.Validate(signer);
        }
        catch (Exception e) when (e is TspException or CmsException or ArgumentException)
        {
            throw new TimestampingException($"La signature du jeton de l'autorité d'horodatage {authority} ne se vérifie pas : {e.Message}", e);
        }
        var genTime = tstInfo.GenTime.Kind == DateTimeKind.Local ? tstInfo.GenTime.ToUniversalTime() : DateTime.SpecifyKind(tstInfo.GenTime, DateTimeKind.Utc);
        var name = tstInfo.Tsa is { TagNo: GeneralName.DirectoryName } tsa ? X509Name.GetInstance(tsa.Name).ToString() : signer.SubjectDN.ToString();
        return new TimestampResult(
            responseDer,
            token.GetEncoded(),
            new DateTimeOffset(genTime),
            tstInfo.SerialNumber.ToString(16).ToUpperInvariant(),
            tstInfo.Policy,
            name);
    }

    public static IReadOnlyList<X509Certificate> Certificates(TimeStampToken token) => [.. token.GetCertificates().EnumerateMatches(null)];

    public static string ToPem(IEnumerable<X509Certificate> certificates) =>
        string.Concat(certificates.Select(c => PemEncoding.WriteString("CERTIFICATE", c.GetEncoded()) + "\n"));

    /// <summary>Every certificate of a PEM file, in order (the authority's first, then its chain).</summary>
    public static IReadOnlyList<X509Certificate> ParsePem(string pem)
    {
        var certificates = new List<X509Certificate>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                try
                {
                    certificates.Add(new X509Certificate(Convert.FromBase64String(rest[fields.Base64Data].ToString())));
                }
                catch (Exception e) when (e is FormatException or ArgumentException or IOException or Org.BouncyCastle.Security.Certificates.CertificateException)
                {
                    throw new TimestampingException($"Un certificat PEM est illisible : {e.Message}", e);
                }
            }
            rest = rest[fields.Location.End..];
        }
        return certificates;
    }

    private static bool IsParseError(Exception e) =>
        e is IOException or ArgumentException or InvalidCastException or InvalidOperationException or TspException or CmsException;
}
