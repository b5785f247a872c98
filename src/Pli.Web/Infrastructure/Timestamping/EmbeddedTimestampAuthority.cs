using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Tsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using CmsAttributes = Org.BouncyCastle.Asn1.Cms.CmsAttributes;
using CmsAttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;
using CmsTime = Org.BouncyCastle.Asn1.Cms.Time;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Pli.Web.Infrastructure.Timestamping;

/// <summary>
/// The platform's own RFC 3161 authority: an ECDSA P-256 key and a self-signed certificate generated once
/// into <see cref="TimestampingOptions.KeyPath"/> and reused afterwards. Its tokens verify with
/// <c>openssl ts -verify</c> against that certificate; they prove Pli's clock, not a qualified third
/// party's, which is why production points <see cref="TimestampingOptions.Url"/> at an external authority.
/// </summary>
public sealed class EmbeddedTimestampAuthority : ITimestampAuthority, IDisposable
{
    public const string KeyFileName = "tsa-key.pem";
    public const string CertificateFileName = "tsa.pem";
    public const string CommonName = "Pli — autorité d'horodatage";
    private const string LockFileName = "tsa.lock";

    private readonly TimestampingOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Signer? _signer;

    public EmbeddedTimestampAuthority(IOptions<TimestampingOptions> options, IHostEnvironment environment, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var path = _options.KeyPath;
        KeyDirectory = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path));
    }

    public string KeyDirectory { get; }

    public async Task<TimestampResult> StampAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default)
    {
        var request = Rfc3161.CreateRequest(sha256Digest);
        var signer = await GetSignerAsync(cancellationToken);
        return Rfc3161.Read(Answer(signer, request), request, signer.Certificates, "intégrée");
    }

    public async Task<string> GetCertificatePemAsync(CancellationToken cancellationToken = default) =>
        (await GetSignerAsync(cancellationToken)).Pem;

    /// <summary>
    /// Answers an RFC 3161 query (DER TimeStampReq) with a DER TimeStampResp: granted for a SHA-256 imprint
    /// under this authority's policy, a rejection otherwise. This is the authority's server side, for
    /// anything that speaks RFC 3161 over HTTP.
    /// </summary>
    public async Task<byte[]> AnswerAsync(ReadOnlyMemory<byte> queryDer, CancellationToken cancellationToken = default)
    {
        TimeStampRequest request;
        try
        {
            request = new TimeStampRequest(queryDer.ToArray());
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException)
        {
            return new TimeStampResp(new PkiStatusInfo((int)PkiStatus.Rejection, new PkiFreeText("Not a TimeStampReq"), new PkiFailureInfo(PkiFailureInfo.BadDataFormat)), null).GetEncoded();
        }
        return Answer(await GetSignerAsync(cancellationToken), request);
    }

    public void Dispose() => _gate.Dispose();

    private byte[] Answer(Signer signer, TimeStampRequest request)
    {
        // GeneralizedTime keeps the milliseconds; the accuracy says the clock is trusted to one second.
        var genTime = _time.GetUtcNow().UtcDateTime;
        var tokens = new TimeStampTokenGenerator(signer.InfoGenerator(genTime), Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256), new DerObjectIdentifier(_options.PolicyOid), true)
        {
            Resolution = Resolution.R_MILLISECONDS,
        };
        tokens.SetAccuracySeconds(1);
        tokens.SetTsa(new GeneralName(signer.Certificates[0].SubjectDN));
        tokens.SetCertificates(CollectionUtilities.CreateStore(signer.Certificates));
        // The response generator keeps state between calls: one per answer.
        var responses = new TimeStampResponseGenerator(tokens, [TspAlgorithms.Sha256], [_options.PolicyOid]);
        // 128 random bits, positive: unique without a counter to keep across restarts and instances.
        var serialNumber = new BigInteger(1, RandomNumberGenerator.GetBytes(16));
        return responses.Generate(request, serialNumber, genTime).GetEncoded();
    }

    private async Task<Signer> GetSignerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _signer) is { } ready)
        {
            return ready;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_signer is null)
            {
                Directory.CreateDirectory(KeyDirectory);
                using (await LockFolderAsync(cancellationToken))
                {
                    if (!File.Exists(Path.Combine(KeyDirectory, KeyFileName)))
                    {
                        Create();
                    }
                }
                Volatile.Write(ref _signer, Load());
            }
            return _signer;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The semaphore serialises this instance; the lock file serialises instances and processes sharing the
    /// folder, so that two first starts still produce one key.
    /// </summary>
    private async Task<FileStream> LockFolderAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(KeyDirectory, LockFileName);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                // Waiting for another instance is real time, not the platform's (possibly fake) clock.
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken);
            }
        }
    }

    private void Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName(_options.Organisation);
        name.AddCommonName(CommonName);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // RFC 3161 §2.3: the TSA certificate has exactly one EKU, id-kp-timeStamping, marked critical.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(Rfc3161.TimeStampingEku)], true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = _time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        // The certificate first, the key last: a key file present means the pair is complete.
        WriteAtomically(CertificateFileName, certificate.ExportCertificatePem() + "\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        WriteAtomically(KeyFileName, key.ExportPkcs8PrivateKeyPem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private void WriteAtomically(string fileName, string content, UnixFileMode mode)
    {
        var path = Path.Combine(KeyDirectory, fileName);
        var temp = path + ".tmp";
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = mode;
        }
        using (var stream = new FileStream(temp, file))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows())
        {
            // The creation mode is filtered by the umask: set it exactly.
            File.SetUnixFileMode(temp, mode);
        }
        File.Move(temp, path, overwrite: true);
    }

    private Signer Load()
    {
        var certificatePath = Path.Combine(KeyDirectory, CertificateFileName);
        var keyPath = Path.Combine(KeyDirectory, KeyFileName);
        if (!File.Exists(certificatePath))
        {
            throw new TimestampingException($"La clé de l'autorité d'horodatage {keyPath} est là mais pas son certificat {certificatePath}.");
        }
        var certificatePem = File.ReadAllText(certificatePath);
        byte[] pkcs8;
        try
        {
            // CreateFromPem refuses a key that is not the certificate's.
            using var pair = X509Certificate2.CreateFromPem(certificatePem, File.ReadAllText(keyPath));
            using AsymmetricAlgorithm privateKey = (AsymmetricAlgorithm?)pair.GetECDsaPrivateKey() ?? pair.GetRSAPrivateKey()
                ?? throw new TimestampingException($"La clé {keyPath} n'est ni ECDSA ni RSA.");
            pkcs8 = privateKey.ExportPkcs8PrivateKey();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new TimestampingException($"{keyPath} et {certificatePath} ne forment pas une paire clé–certificat lisible : {e.Message}", e);
        }
        var certificates = Rfc3161.ParsePem(certificatePem);
        try
        {
            TspUtil.ValidateCertificate(certificates[0]);
        }
        catch (TspValidationException e)
        {
            throw new TimestampingException($"Le certificat {certificatePath} ne peut pas signer d'horodatage : {e.Message}", e);
        }
        var key = PrivateKeyFactory.CreateKey(pkcs8);
        var algorithm = key is ECPrivateKeyParameters ? "SHA256WITHECDSA" : "SHA256WITHRSA";
        return new Signer(key, algorithm, certificates, Rfc3161.ToPem(certificates));
    }

    private sealed record Signer(AsymmetricKeyParameter Key, string SignatureAlgorithm, IReadOnlyList<BcCertificate> Certificates, string Pem)
    {
        /// <summary>
        /// CMS would put the machine's real clock in signingTime; the token's own time (the injected
        /// clock) goes there instead, so that the whole token tells one time.
        /// </summary>
        public SignerInfoGenerator InfoGenerator(DateTime genTime)
        {
            var signingTime = new BcAttribute(CmsAttributes.SigningTime, new DerSet(new CmsTime(genTime)));
            return new SignerInfoGeneratorBuilder()
                .WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new CmsAttributeTable(new Asn1EncodableVector(signingTime))))
                .Build(new Asn1SignatureFactory(SignatureAlgorithm, Key), Certificates[0]);
        }
    }
}
