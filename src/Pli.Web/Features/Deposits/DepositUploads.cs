using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pli.Domain.Common;
using Pli.Domain.Deposits;
using Pli.Web.Features.Uploads;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// The Upload-Metadata a deposit file is sent with: <c>deposit</c> (the draft's id), <c>envelope</c>
/// (<c>candidature</c> or <c>offre</c>), <c>lot</c> (the lot number of an offer, when the consultation has
/// lots) and <c>filename</c>.
/// </summary>
public static class DepositUploadMetadata
{
    public const string Deposit = "deposit";
    public const string Envelope = "envelope";
    public const string Lot = "lot";
    public const string FileName = "filename";

    public static string EnvelopeName(EnvelopeKind kind) => kind == EnvelopeKind.Candidature ? "candidature" : "offre";

    /// <summary>The deposit a tus upload is for, or null when it is for something else.</summary>
    public static Guid? DepositOf(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(Deposit, out var value) && Guid.TryParse(value, out var id) ? id : null;

    public static (EnvelopeKind Envelope, int? Lot, string FileName) Read(IReadOnlyDictionary<string, string> metadata)
    {
        var envelope = metadata.GetValueOrDefault(Envelope) switch
        {
            "candidature" => EnvelopeKind.Candidature,
            "offre" => EnvelopeKind.Offre,
            _ => throw new DomainException("deposit.envelope-unknown", "Cette enveloppe ne fait pas partie du pli : l'offre d'un lot non choisi ne peut pas recevoir de fichier.", "File"),
        };
        int? lot = null;
        if (metadata.TryGetValue(Lot, out var lotText) && lotText.Length > 0)
        {
            lot = int.TryParse(lotText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new DomainException("deposit.envelope-unknown", "Cette enveloppe ne fait pas partie du pli : l'offre d'un lot non choisi ne peut pas recevoir de fichier.", "File");
        }
        return (envelope, lot, metadata.GetValueOrDefault(FileName) ?? "");
    }
}

/// <summary>
/// Lets a deposit file start only when the draft, the envelope, the name, the format and the size allow
/// it, before a single byte is received; the upload is then sealed for the consultation's public key
/// and its first bytes must match its format.
/// </summary>
public sealed class DepositUploadAdmission(IServiceScopeFactory scopes, TimeProvider time, IOptions<DepositOptions> options) : IUploadAdmission
{
    public async Task<UploadAdmission> AdmitAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        if (DepositUploadMetadata.DepositOf(metadata) is not { } depositId)
        {
            return metadata.ContainsKey(DepositUploadMetadata.Deposit)
                ? throw new DomainException("deposit.unknown", "Ce pli n'existe pas ou n'est pas le vôtre.", "File")
                : UploadAdmission.Plain;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var deposit = await DepositAccess.FindOwnAsync(db, depositId, ownerId, cancellationToken)
            ?? throw new DomainException("deposit.unknown", "Ce pli n'existe pas ou n'est pas le vôtre.", "File");
        var consultation = await db.Consultations.AsNoTracking().Include(c => c.Lots).FirstAsync(c => c.Id == deposit.ConsultationId, cancellationToken);
        var (envelope, lot, fileName) = DepositUploadMetadata.Read(metadata);
        var name = deposit.RequireCanStartFile(consultation, envelope, lot, fileName, length, options.Value.Limits, time.GetUtcNow().UtcDateTime);
        var key = await scope.ServiceProvider.GetRequiredService<ConsultationKeyStore>().EnsureAsync(consultation.Id, cancellationToken);
        return new UploadAdmission(key.PublicKeyDer, name);
    }
}

/// <summary>
/// A deposit file whose last byte is durable joins its envelope: the sealed bytes move to the file
/// store and the file is recorded with its size, SHA-256 and the times its transmission started and
/// ended. A file that finishes for a pli no longer in draft is not kept.
/// </summary>
public sealed class DepositUploadCompleted(IServiceScopeFactory scopes, IUploadStore uploads, IFileStore files, ILogger<DepositUploadCompleted> logger) : IUploadCompleted
{
    private async Task<bool> RecordedAsync(Guid uploadId)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PliDbContext>().DepositFiles.AnyAsync(f => f.UploadId == uploadId);
    }

    public async Task OnCompletedAsync(UploadInfo upload, CancellationToken cancellationToken)
    {
        if (DepositUploadMetadata.DepositOf(upload.Metadata) is not { } depositId)
        {
            return;
        }
        var uploadId = Guid.ParseExact(upload.Id, "N");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        if (await db.DepositFiles.AnyAsync(f => f.UploadId == uploadId, cancellationToken))
        {
            await uploads.DeleteAsync(upload.Id, cancellationToken);
            return;
        }
        var deposit = await db.Deposits.Include(d => d.Files).Include(d => d.Members).FirstOrDefaultAsync(d => d.Id == depositId, cancellationToken);
        if (deposit is null || !deposit.IsDraft || upload.Sealing is null || upload.Sha256 is null)
        {
            logger.LogWarning("Upload {Upload} finished for deposit {Deposit} that no longer takes files; it is not kept.", upload.Id, depositId);
            await uploads.DeleteAsync(upload.Id, cancellationToken);
            // The sender is told, on the answer to its last chunk: the file is not part of any pli.
            throw deposit is null
                ? new DomainException("deposit.unknown", "Ce pli n'existe pas ou n'est pas le vôtre.", "File")
                : new DomainException("deposit.already-sealed", $"Ce pli est déjà déposé (n° {deposit.Number}) : pour le compléter, faites un nouveau dépôt.", null, deposit.Number);
        }
        var (envelope, lot, fileName) = DepositUploadMetadata.Read(upload.Metadata);
        var name = Deposit.NormaliseName(fileName);
        var storageKey = $"deposits/{deposit.ConsultationId:N}/{deposit.Id:N}/{uploadId:N}.sealed";
        // Until the file is recorded the upload stays, so a crash here is finished by the client's next HEAD
        // (the hand-over is then found done, or done again).
        await uploads.HandOverAsync(upload.Id, files, storageKey, cancellationToken);
        var file = deposit.AddReceivedFile(envelope, lot, name, upload.Length, upload.Sha256, storageKey, uploadId, upload.CreatedUtc.UtcDateTime, (upload.CompletedUtc ?? upload.CreatedUtc).UtcDateTime);
        scope.ServiceProvider.GetRequiredService<AuditTrail>().Record("deposit.file-received", null, deposit.CompanyId, null, deposit.ConsultationId, $"deposit-file:{file.Id}",
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"deposit {deposit.Number}; {upload.Length} bytes; sha256 {upload.Sha256}"));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A HEAD handed the same upload over at the same moment: it is recorded once, by the other.
            if (!await RecordedAsync(uploadId))
            {
                throw;
            }
        }
        await uploads.DeleteAsync(upload.Id, cancellationToken);
    }
}

/// <summary>
/// Deposit files are the tus server's default purpose (<see cref="UploadPurposes.Default"/>): an upload
/// that names no purpose is judged and taken over exactly as before purposes existed.
/// </summary>
public sealed class DepositUploadPurpose(DepositUploadAdmission admission, DepositUploadCompleted completed) : IUploadPurpose
{
    public string Name => UploadPurposes.Default;

    public Task<UploadAdmission> AdmitAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        admission.AdmitAsync(ownerId, length, metadata, cancellationToken);

    public Task OnCompletedAsync(UploadInfo upload, CancellationToken cancellationToken) => completed.OnCompletedAsync(upload, cancellationToken);
}
