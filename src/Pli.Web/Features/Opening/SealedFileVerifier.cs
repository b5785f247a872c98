using System.Buffers;
using System.Security.Cryptography;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Malware;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Opening;

/// <summary>
/// The check of one deposited file at its opening: one pass over the sealed bytes from storage, decrypted
/// chunk by chunk (each authenticated before a byte of it is used), the plaintext fed to the malware scanner
/// as it goes while the reader computes its SHA-256 and length; then both are compared with the receipt's.
/// Memory stays at one chunk and one buffer whatever the file's size.
/// </summary>
public sealed class SealedFileVerifier(IFileStore store, IMalwareScanner scanner, TimeProvider time, ILogger<SealedFileVerifier> logger)
{
    private const int BufferSize = 81920;

    public async Task<OpenedFileCheck> VerifyAsync(Guid actId, DepositFile file, OpenedConsultationKey key, CancellationToken cancellationToken)
    {
        var check = new OpenedFileCheck { Id = Guid.NewGuid(), ActId = actId, DepositFileId = file.Id, ScanVerdict = MalwareVerdict.NotScanned };
        Stream stored;
        try
        {
            stored = await store.OpenReadAsync(file.StorageKey, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Altered(check, OpenedFileCheck.Missing);
        }
        await using var scan = await scanner.StartAsync(file.Name, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var scanFailed = (string?)null;
        try
        {
            await using var reader = await SealedFiles.OpenReaderAsync(stored, key, leaveOpen: false, cancellationToken);
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                if (scanFailed is null)
                {
                    try
                    {
                        await scan.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The file is still checked to its end: a scanner down does not hide an alteration.
                        logger.LogWarning(e, "Malware scan of deposit file {FileId} failed", file.Id);
                        scanFailed = e.Message;
                    }
                }
            }
            check.ComputedSha256 = reader.PlaintextSha256Hex;
            check.ComputedLength = reader.PlaintextLength;
        }
        catch (SealedFileTamperedException e)
        {
            return Altered(check, e.Code);
        }
        catch (CryptographicException)
        {
            return Altered(check, OpenedFileCheck.WrongKey);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await stored.DisposeAsync();
        }
        if (check.ComputedLength != file.Size)
        {
            Altered(check, OpenedFileCheck.SizeMismatch);
        }
        else if (!string.Equals(check.ComputedSha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            Altered(check, OpenedFileCheck.HashMismatch);
        }
        else
        {
            check.Outcome = FileCheckOutcome.Intact;
        }
        var result = scanFailed is not null ? new MalwareScanResult(MalwareVerdict.Failed, null, scanFailed) : await CompleteScanAsync(scan, file, cancellationToken);
        check.ScanVerdict = result.Verdict;
        check.ScanSignature = Clip(result.Signature, 200);
        check.ScanDetail = Clip(result.Detail, 500);
        check.CheckedUtc = time.GetUtcNow().UtcDateTime;
        return check;
    }

    private async Task<MalwareScanResult> CompleteScanAsync(IMalwareScan scan, DepositFile file, CancellationToken cancellationToken)
    {
        try
        {
            return await scan.CompleteAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Malware scan of deposit file {FileId} failed", file.Id);
            return new MalwareScanResult(MalwareVerdict.Failed, null, e.Message);
        }
    }

    private OpenedFileCheck Altered(OpenedFileCheck check, string code)
    {
        check.Outcome = FileCheckOutcome.Altered;
        check.AlterationCode = code;
        check.CheckedUtc = time.GetUtcNow().UtcDateTime;
        return check;
    }

    private static string? Clip(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;
}
