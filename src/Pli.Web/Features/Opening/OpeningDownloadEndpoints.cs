using System.Security.Claims;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Deposits;
using Pli.Domain.Opening;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Opening;

/// <summary>
/// Downloads of what was opened, for the openers of the consultation's organisation only (anyone else: 404):
/// GET …/ouverture/fichiers/{fileId} one file; …/plis/{depositId}/candidature.zip and …/offre.zip[?lot=N]
/// one envelope; …/plis/{depositId}.zip every opened envelope of the pli. All decrypted while they stream.
/// Refused before the deadline (403, whatever was recorded), for an envelope not opened (404), and for an
/// altered or infected file (409): such a file is never served, not even as it is stored.
/// </summary>
public static class OpeningDownloadEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapOpeningDownloads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/acheteur/consultations/{id:guid}/ouverture").RequireAuthorization(Policies.Opener).ExcludeFromDescription();
        group.MapGet("/fichiers/{fileId:guid}", DownloadFileAsync);
        group.MapGet("/plis/{depositId:guid}/candidature.zip", (Guid id, Guid depositId, HttpContext context, OpeningService opening, IOpeningKeySource keys, IFileStore store, AuditTrail audit, PliDbContext db, IStringLocalizer<OpeningTexts> texts) =>
            DownloadZipAsync(id, depositId, new Envelope(EnvelopeKind.Candidature, null), context, opening, keys, store, audit, db, texts));
        group.MapGet("/plis/{depositId:guid}/offre.zip", (Guid id, Guid depositId, int? lot, HttpContext context, OpeningService opening, IOpeningKeySource keys, IFileStore store, AuditTrail audit, PliDbContext db, IStringLocalizer<OpeningTexts> texts) =>
            DownloadZipAsync(id, depositId, new Envelope(EnvelopeKind.Offre, lot), context, opening, keys, store, audit, db, texts));
        group.MapGet("/plis/{depositId:guid}.zip", (Guid id, Guid depositId, HttpContext context, OpeningService opening, IOpeningKeySource keys, IFileStore store, AuditTrail audit, PliDbContext db, IStringLocalizer<OpeningTexts> texts) =>
            DownloadZipAsync(id, depositId, null, context, opening, keys, store, audit, db, texts));
        return app;
    }

    private static async Task<IResult> DownloadFileAsync(Guid id, Guid fileId, HttpContext context, OpeningService opening, IOpeningKeySource keys,
        IFileStore store, AuditTrail audit, PliDbContext db, IStringLocalizer<OpeningTexts> texts)
    {
        var cancellationToken = context.RequestAborted;
        var (board, refused) = await LoadAfterDeadlineAsync(id, context, opening);
        if (board is null)
        {
            return refused!;
        }
        var pli = board.Selection.FirstOrDefault(p => p.Deposit.Files.Any(f => f.Id == fileId));
        var file = pli?.Deposit.Files.First(f => f.Id == fileId);
        if (pli is null || file is null || !board.IsOpened(pli.Deposit.Id, new Envelope(file.Envelope, file.LotNumber)) || board.CheckOf(file) is not { } check)
        {
            return TypedResults.NotFound();
        }
        if (!check.MayBeServed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: texts[check.IsAltered ? "DownloadRefusedAltered" : "DownloadRefusedInfected", file.Name].Value);
        }
        var key = await keys.OpenAsync(board.Consultation, cancellationToken);
        context.Response.RegisterForDispose(key);
        Record(audit, context.User, board, pli, $"fichier « {file.Name} » ({OpeningService.EnvelopeCode(new Envelope(file.Envelope, file.LotNumber))})");
        await db.SaveChangesAsync(cancellationToken);
        var type = ContentTypes.TryGetContentType(file.Name, out var known) ? known : "application/octet-stream";
        return new DecryptedFileResult(file, store, key, type);
    }

    // envelope: one envelope, or null for every opened envelope of the pli.
    private static async Task<IResult> DownloadZipAsync(Guid id, Guid depositId, Envelope? envelope, HttpContext context, OpeningService opening, IOpeningKeySource keys,
        IFileStore store, AuditTrail audit, PliDbContext db, IStringLocalizer<OpeningTexts> texts)
    {
        var cancellationToken = context.RequestAborted;
        var (board, refused) = await LoadAfterDeadlineAsync(id, context, opening);
        if (board is null)
        {
            return refused!;
        }
        var pli = board.Find(depositId);
        if (pli is null)
        {
            return TypedResults.NotFound();
        }
        var envelopes = (envelope is null ? pli.Deposit.Envelopes : pli.Deposit.Envelopes.Where(e => e == envelope))
            .Where(e => board.IsOpened(pli.Deposit.Id, e)).ToList();
        if (envelopes.Count == 0)
        {
            return TypedResults.NotFound();
        }
        var entries = new List<OpenedZipEntry>();
        var leftOut = new List<string>();
        foreach (var e in envelopes)
        {
            var folder = envelope is null ? FolderOf(e, texts) + "/" : "";
            foreach (var file in pli.Deposit.FilesIn(e))
            {
                if (board.CheckOf(file) is { MayBeServed: true })
                {
                    entries.Add(new OpenedZipEntry(folder + file.Name, file));
                }
                else
                {
                    leftOut.Add(folder + file.Name);
                }
            }
        }
        var key = await keys.OpenAsync(board.Consultation, cancellationToken);
        context.Response.RegisterForDispose(key);
        var what = envelope is null ? "pli entier (" + string.Join(", ", envelopes.Select(OpeningService.EnvelopeCode)) + ")" : "enveloppe " + OpeningService.EnvelopeCode(envelope);
        Record(audit, context.User, board, pli, $"{what}, zip de {entries.Count} fichier(s)" + (leftOut.Count > 0 ? $", {leftOut.Count} non fourni(s)" : ""));
        await db.SaveChangesAsync(cancellationToken);
        return new OpenedZipResult(entries, new OpenedZipLeftOut(leftOut, texts["ZipLeftOutNoteName"], texts["ZipLeftOutHeading"]), ZipName(board, pli, envelope), store, key);
    }

    /// <summary>The board of an own consultation past its deadline, or the refusal to answer: 404 (not found, not ours), 403 (too early).</summary>
    private static async Task<(OpeningBoard? Board, IResult? Refused)> LoadAfterDeadlineAsync(Guid id, HttpContext context, OpeningService opening)
    {
        var board = await opening.LoadAsync(context.User, id, context.RequestAborted);
        if (board is null)
        {
            return (null, TypedResults.NotFound());
        }
        return TooEarly(board) is { } refused ? (null, refused) : (board, null);
    }

    private static IResult? TooEarly(OpeningBoard board)
    {
        if (board.IsAfterDeadline)
        {
            return null;
        }
        var error = new DomainException("opening.too-early", "Les plis ne peuvent pas être ouverts avant la date limite de remise des plis.", null, ParisTime.ToParis(board.Consultation.DeadlineUtc));
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: DomainMessages.For(error), extensions: new Dictionary<string, object?> { ["code"] = error.Code });
    }

    private static void Record(AuditTrail audit, ClaimsPrincipal user, OpeningBoard board, SelectedPli pli, string what) =>
        audit.Record("opening.download", user, board.Consultation.Id, $"deposit:{pli.Deposit.Id}", $"pli {pli.Deposit.Number}, {what}");

    public static string FolderOf(Envelope envelope, IStringLocalizer<OpeningTexts> texts) =>
        envelope.Kind == EnvelopeKind.Candidature ? texts["FolderCandidature"] : envelope.Lot is { } lot ? texts["FolderOfferLot", lot] : texts["FolderOffer"];

    private static string ZipName(OpeningBoard board, SelectedPli pli, Envelope? envelope)
    {
        var reference = new string([.. board.Consultation.Reference.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        var suffix = envelope is null ? "" : envelope.Kind == EnvelopeKind.Candidature ? "_candidature" : envelope.Lot is { } lot ? $"_offre-lot-{lot}" : "_offre";
        return $"{reference}_{pli.Deposit.Number}{suffix}.zip";
    }
}
