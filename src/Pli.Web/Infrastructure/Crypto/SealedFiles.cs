using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>
/// Opens sealed files for writing and reading with the consultation's keys: the piece the deposit
/// upload and, later, the opening use.
/// </summary>
public sealed class SealedFiles(ConsultationKeys keys, IOptions<CryptoOptions> options)
{
    /// <summary>A writer with a fresh random data key wrapped for <paramref name="publicKeyDer"/>.</summary>
    public SealedFileWriter CreateWriter(Stream output, ReadOnlySpan<byte> publicKeyDer, bool leaveOpen = false)
    {
        var dataKey = RandomNumberGenerator.GetBytes(SealedFileFormat.DataKeySize);
        try
        {
            var wrapped = ConsultationKeys.WrapDataKey(publicKeyDer, dataKey);
            return new SealedFileWriter(output, dataKey, ConsultationKeys.KeyIdOf(publicKeyDer), wrapped, options.Value.ChunkSize, leaveOpen);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// Reads the header of <paramref name="input"/>, checks that it names <paramref name="keyPair"/>,
    /// unwraps the data key (refused before <paramref name="deadlineUtc"/>) and returns the reader.
    /// </summary>
    public async Task<SealedFileReader> OpenReaderAsync(Stream input, ConsultationKeyPair keyPair, DateTime deadlineUtc, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        var header = await SealedFileHeader.ReadAsync(input, cancellationToken);
        if (header.KeyId != keyPair.KeyId)
        {
            throw new CryptographicException("This sealed file was not sealed for this consultation's key pair.");
        }
        var dataKey = keys.UnwrapDataKey(keyPair.EncryptedPrivateKey, header.WrappedDataKey, deadlineUtc);
        try
        {
            return new SealedFileReader(input, header, dataKey, leaveOpen);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Reads the header of <paramref name="input"/>, checks that it names <paramref name="key"/> and returns the reader (the key was opened after the deadline).</summary>
    public static async Task<SealedFileReader> OpenReaderAsync(Stream input, OpenedConsultationKey key, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        var header = await SealedFileHeader.ReadAsync(input, cancellationToken);
        if (header.KeyId != key.KeyId)
        {
            throw new CryptographicException("This sealed file was not sealed for this consultation's key pair.");
        }
        var dataKey = key.UnwrapDataKey(header.WrappedDataKey);
        try
        {
            return new SealedFileReader(input, header, dataKey, leaveOpen);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }
}
