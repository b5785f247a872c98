using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Domain.Organisations;
using Pli.Web.Features.Deposits.Receipts;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// The deposit API: a company starts a draft, sends its files with tus (/api/uploads/, Upload-Metadata
/// naming the deposit, the envelope and the file), seals it and downloads its receipt. Another
/// company's deposit answers 404; the buyer's agents see metadata only, never a file.
/// </summary>
public static class DepositEndpoints
{
    public static IEndpointRouteBuilder MapDeposits(this IEndpointRouteBuilder api)
    {
        var consultations = api.MapGroup("/consultations/{consultationId:guid}/deposits").RequireAuthorization().WithTags("Deposits");
        consultations.MapPost("/", StartAsync);
        consultations.MapGet("/", ListForBuyerAsync);

        var deposits = api.MapGroup("/deposits").RequireAuthorization().WithTags("Deposits");
        deposits.MapGet("/", ListMineAsync);
        deposits.MapGet("/{id:guid}", GetAsync);
        deposits.MapDelete("/{id:guid}/files/{fileId:guid}", RemoveFileAsync);
        deposits.MapPost("/{id:guid}/seal", SealAsync);
        deposits.MapPost("/{id:guid}/withdraw", WithdrawAsync);
        foreach (var (kind, name) in new[] { (ReceiptKind.Deposit, "receipt"), (ReceiptKind.Withdrawal, "withdrawal-receipt") })
        {
            foreach (var format in new[] { "pdf", "json", "tsr" })
            {
                deposits.MapGet($"/{{id:guid}}/{name}.{format}", (Guid id, ClaimsPrincipal user, PliDbContext db, HttpContext http) => ReceiptFileAsync(id, user, db, http, kind, format));
            }
        }
        return api;
    }

    private static async Task<Results<Created<DepositDto>, Conflict<DepositDto>, NotFound, ForbidHttpResult>> StartAsync(
        Guid consultationId, StartDepositRequest request, ClaimsPrincipal user, DepositService deposits, CancellationToken cancellationToken)
    {
        if (user.UserId() is not { } userId || user.CompanyId() is not { } companyId)
        {
            return TypedResults.Forbid();
        }
        var consultation = await deposits.FindOpenConsultationAsync(consultationId, cancellationToken);
        if (consultation is null)
        {
            return TypedResults.NotFound();
        }
        try
        {
            var deposit = await deposits.StartDraftAsync(consultation, companyId, userId, request.ToChoices(), cancellationToken);
            return TypedResults.Created($"/api/deposits/{deposit.Id}", DepositDto.Of(deposit, consultation));
        }
        catch (DepositDraftExistsException e)
        {
            return TypedResults.Conflict(DepositDto.Of(e.Existing, consultation));
        }
    }

    private static async Task<Results<Ok<List<DepositSummaryDto>>, ForbidHttpResult>> ListMineAsync(ClaimsPrincipal user, PliDbContext db, CancellationToken cancellationToken)
    {
        if (user.CompanyId() is not { } companyId)
        {
            return TypedResults.Forbid();
        }
        var mine = await db.Deposits.AsNoTracking().Include(d => d.Files).Where(d => d.CompanyId == companyId).OrderByDescending(d => d.CreatedUtc).ToListAsync(cancellationToken);
        var ids = mine.Select(d => d.ConsultationId).Distinct().ToList();
        var consultations = await db.Consultations.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        return TypedResults.Ok(mine.Select(d => DepositSummaryDto.Of(d, consultations[d.ConsultationId].Reference, consultations[d.ConsultationId].Title, d.Files.Count, d.TotalSize)).ToList());
    }

    private static async Task<Results<Ok<DepositDto>, NotFound>> GetAsync(Guid id, ClaimsPrincipal user, PliDbContext db, CancellationToken cancellationToken) =>
        await DepositAccess.LoadOwnAsync(db, id, user.UserId(), cancellationToken) is { } own
            ? TypedResults.Ok(DepositDto.Of(own.Deposit, own.Consultation))
            : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> RemoveFileAsync(Guid id, Guid fileId, ClaimsPrincipal user, PliDbContext db, DepositService deposits, CancellationToken cancellationToken)
    {
        if (await DepositAccess.LoadOwnAsync(db, id, user.UserId(), cancellationToken) is not { } own)
        {
            return TypedResults.NotFound();
        }
        await deposits.RemoveFileAsync(own.Deposit, own.Consultation, fileId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ReceiptDto>, NotFound>> SealAsync(Guid id, SealDepositRequest request, ClaimsPrincipal user, PliDbContext db, DepositService deposits, CancellationToken cancellationToken)
    {
        if (await DepositAccess.LoadOwnAsync(db, id, user.UserId(), cancellationToken) is not { } own)
        {
            return TypedResults.NotFound();
        }
        var receipt = await deposits.SealAsync(own.Deposit, own.Consultation, request.AcceptTerms, request.BackupCopyDeclared, own.UserEmail, cancellationToken);
        return TypedResults.Ok(ReceiptDto.Of(own.Deposit, receipt));
    }

    private static async Task<Results<Ok<ReceiptDto>, NotFound>> WithdrawAsync(Guid id, ClaimsPrincipal user, PliDbContext db, DepositService deposits, CancellationToken cancellationToken)
    {
        if (await DepositAccess.LoadOwnAsync(db, id, user.UserId(), cancellationToken) is not { } own)
        {
            return TypedResults.NotFound();
        }
        var receipt = await deposits.WithdrawAsync(own.Deposit, own.Consultation, own.UserEmail, cancellationToken);
        return TypedResults.Ok(ReceiptDto.Of(own.Deposit, receipt));
    }

    /// <summary>The buyer's view: who deposited, when, how much; never a file nor a file name's content.</summary>
    private static async Task<Results<Ok<List<BuyerDepositDto>>, NotFound>> ListForBuyerAsync(Guid consultationId, ClaimsPrincipal user, PliDbContext db, CancellationToken cancellationToken)
    {
        var consultation = await db.Consultations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == consultationId, cancellationToken);
        if (consultation is null || user.OrganisationId() != consultation.OrganisationId || !user.PassedSecondFactor()
            || !(user.HasAgentRole(AgentRole.ConsultationManager) || user.HasAgentRole(AgentRole.Opener)))
        {
            return TypedResults.NotFound();
        }
        var deposits = await db.Deposits.AsNoTracking().Include(d => d.Files)
            .Where(d => d.ConsultationId == consultationId && d.Status != DepositStatus.Draft).ToListAsync(cancellationToken);
        var ids = deposits.Select(d => d.CompanyId).Distinct().ToList();
        var companies = await db.Companies.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        return TypedResults.Ok(deposits.OrderBy(d => d.SealedUtc).Select(d => new BuyerDepositDto(d.Number, companies[d.CompanyId].Name, companies[d.CompanyId].Siret, d.Status.ToString(), d.IsLate,
            Offset(d.SealedUtc!.Value), Offset(d.TransmissionStartedUtc!.Value), d.Files.Count, d.TotalSize)).ToList());
    }

    private static async Task<IResult> ReceiptFileAsync(Guid id, ClaimsPrincipal user, PliDbContext db, HttpContext http, ReceiptKind kind, string format)
    {
        var cancellationToken = http.RequestAborted;
        if (user.UserId() is not { } userId || await DepositAccess.FindOwnAsync(db, id, userId, cancellationToken) is not { } deposit)
        {
            return TypedResults.NotFound();
        }
        var receipt = await db.DepositReceipts.AsNoTracking().FirstOrDefaultAsync(r => r.DepositId == id && r.Kind == kind, cancellationToken);
        if (receipt is null)
        {
            return TypedResults.NotFound();
        }
        var name = DepositPaths.ReceiptFileName(deposit, kind, format);
        switch (format)
        {
            case "json":
                return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(receipt.Json), "application/json", name);
            case "tsr":
                return receipt.TimestampResponse is null
                    ? TypedResults.Problem(DepositLabels.Get("Receipt_NoToken"), statusCode: StatusCodes.Status404NotFound)
                    : TypedResults.File(receipt.TimestampResponse, "application/timestamp-reply", name);
            default:
                var pdf = new MemoryStream();
                await ReceiptPdf.WriteAsync(DepositService.ToDocument(receipt, CultureInfo.CurrentUICulture), pdf, CultureInfo.CurrentUICulture, cancellationToken);
                pdf.Position = 0;
                return TypedResults.File(pdf, "application/pdf", name);
        }
    }

    private static DateTimeOffset Offset(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}

public sealed record CoContractorRequest(string Name, string Siret);

public sealed record StartDepositRequest(DepositMode Mode, CandidatureType CandidatureType, int[]? Lots, CoContractorRequest[]? CoContractors)
{
    public DepositChoices ToChoices() => new(Mode, CandidatureType, Lots ?? [], [.. (CoContractors ?? []).Select(c => new CoContractor(c.Name, c.Siret))]);
}

public sealed record SealDepositRequest(bool AcceptTerms, bool BackupCopyDeclared = false);

public sealed record DepositFileDto(Guid Id, string Envelope, int? Lot, string Name, long Size, string Sha256, DateTimeOffset TransmissionStartedAt, DateTimeOffset ReceivedAt);

/// <summary>What to send with tus for one envelope: the Upload-Metadata keys and values.</summary>
public sealed record EnvelopeDto(string Envelope, int? Lot, Dictionary<string, string> UploadMetadata);

public sealed record DepositDto(Guid Id, string Number, Guid ConsultationId, string Status, string Mode, string CandidatureType, IReadOnlyList<int> Lots,
    IReadOnlyList<CoContractorRequest> CoContractors, DateTimeOffset Deadline, bool Late, DateTimeOffset? ReceivedAt,
    IReadOnlyList<EnvelopeDto> Envelopes, IReadOnlyList<DepositFileDto> Files, string UploadUrl)
{
    public static DepositDto Of(Deposit d, Consultation c)
    {
        return new DepositDto(d.Id, d.Number, d.ConsultationId, d.Status.ToString(), d.Mode.ToString(), d.CandidatureType.ToString(), d.Lots,
            [.. d.Members.Select(m => new CoContractorRequest(m.Name, m.Siret))],
            new DateTimeOffset(DateTime.SpecifyKind(c.DeadlineUtc, DateTimeKind.Utc)), d.IsLate,
            d.SealedUtc is { } s ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : null,
            [.. d.Envelopes.Select(e => MetadataOf(d, e))],
            [.. d.Files.OrderBy(f => f.ReceivedUtc).Select(DepositFileDtoOf)],
            "/api/uploads/");
    }

    public static DepositFileDto DepositFileDtoOf(DepositFile f) =>
        new(f.Id, DepositUploadMetadata.EnvelopeName(f.Envelope), f.LotNumber, f.Name, f.Size, f.Sha256,
            new DateTimeOffset(DateTime.SpecifyKind(f.TransmissionStartedUtc, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(f.ReceivedUtc, DateTimeKind.Utc)));

    private static EnvelopeDto MetadataOf(Deposit d, Envelope envelope)
    {
        var metadata = new Dictionary<string, string>
        {
            [DepositUploadMetadata.Deposit] = d.Id.ToString(),
            [DepositUploadMetadata.Envelope] = DepositUploadMetadata.EnvelopeName(envelope.Kind),
        };
        if (envelope.Lot is { } number)
        {
            metadata[DepositUploadMetadata.Lot] = number.ToString(CultureInfo.InvariantCulture);
        }
        return new EnvelopeDto(DepositUploadMetadata.EnvelopeName(envelope.Kind), envelope.Lot, metadata);
    }
}

public sealed record DepositSummaryDto(Guid Id, string Number, string ConsultationReference, string ConsultationTitle, string Status, bool Late, DateTimeOffset? ReceivedAt, int FileCount, long TotalSize)
{
    public static DepositSummaryDto Of(Deposit d, string reference, string title, int count, long size) =>
        new(d.Id, d.Number, reference, title, d.Status.ToString(), d.IsLate, d.SealedUtc is { } s ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : null, count, size);
}

public sealed record ReceiptDto(Guid DepositId, string Number, string Kind, DateTimeOffset ReceivedAt, bool Late, string ReceiptSha256, bool TimeStamped,
    IReadOnlyList<DepositFileDto> Files, string PdfUrl, string JsonUrl, string TimestampTokenUrl)
{
    public static ReceiptDto Of(Deposit d, DepositReceipt r)
    {
        var prefix = r.Kind == ReceiptKind.Withdrawal ? "withdrawal-receipt" : "receipt";
        return new ReceiptDto(d.Id, d.Number, r.Kind.ToString(), new DateTimeOffset(DateTime.SpecifyKind(r.IssuedUtc, DateTimeKind.Utc)), d.IsLate, r.Sha256,
            r.TimestampResponse is not null, [.. d.Files.OrderBy(f => f.ReceivedUtc).Select(DepositDto.DepositFileDtoOf)],
            $"/api/deposits/{d.Id}/{prefix}.pdf", $"/api/deposits/{d.Id}/{prefix}.json", $"/api/deposits/{d.Id}/{prefix}.tsr");
    }
}

public sealed record BuyerDepositDto(string Number, string Company, string? Siret, string Status, bool Late, DateTimeOffset ReceivedAt, DateTimeOffset TransmissionStartedAt, int FileCount, long TotalSize);
