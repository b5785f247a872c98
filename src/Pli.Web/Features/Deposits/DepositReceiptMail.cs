using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Features.Deposits.Receipts;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// The receipt by mail: what was received and when, the receipt PDF attached; never a byte of the pli itself.
/// In the depositor's language, the PDF too: it may be written long after the request (a time-stamp that came late).
/// </summary>
public sealed class DepositReceiptMail(MailOutbox mail, MailTemplate template, PublicLinks links, RecipientLanguage languages)
{
    /// <summary>Puts the receipt mail in the outbox; it is stored by the caller's next save.</summary>
    public async Task EnqueueAsync(DepositReceipt receipt, Deposit deposit, Consultation consultation, string to, CancellationToken cancellationToken)
    {
        var culture = await languages.OfAsync(to, cancellationToken);
        var when = ParisTime.Format(receipt.IssuedUtc, culture, seconds: true);
        var (subjectKey, introKey) = receipt.Kind == ReceiptKind.Withdrawal
            ? ("Mail_SubjectWithdrawal", "Mail_IntroWithdrawal")
            : deposit.IsLate ? ("Mail_SubjectLate", "Mail_IntroLate") : ("Mail_Subject", "Mail_Intro");
        var subject = string.Format(culture, DepositLabels.Get(subjectKey, culture), deposit.Number, consultation.Reference);
        var intro = string.Format(culture, DepositLabels.Get(introKey, culture), deposit.Number, consultation.Reference, consultation.Title, when, ParisTime.Format(consultation.DeadlineUtc, culture, seconds: true));
        var summary = string.Format(culture, DepositLabels.Get("Mail_Files", culture), deposit.Files.Count, ConsultationLabels.FileSize(deposit.TotalSize, culture));
        using var pdf = new MemoryStream();
        await ReceiptPdf.WriteAsync(DepositService.ToDocument(receipt, culture), pdf, culture, cancellationToken);
        var message = template.Create(to, subject, [intro, summary], DepositLabels.Get("Mail_Link", culture), links.To(DepositPaths.Confirmation(deposit.Id)), culture) with
        {
            Attachments = [new MailAttachment(DepositPaths.ReceiptFileName(deposit, receipt.Kind, "pdf"), "application/pdf", pdf.ToArray())],
        };
        mail.Enqueue(message);
    }
}

public static class DepositPaths
{
    public static string Confirmation(Guid depositId) => $"/depots/{depositId}";

    public static string Wizard(Guid consultationId) => $"/consultations/{consultationId}/repondre";

    public static string Files(Guid depositId) => $"/depots/{depositId}/fichiers";

    public static string ReceiptFileName(Deposit deposit, ReceiptKind kind, string extension) =>
        $"{(kind == ReceiptKind.Withdrawal ? "retrait" : "recepisse")}-{deposit.Number}.{extension}";
}
