using Pli.Web.Infrastructure.Data;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using Pli.Domain.Common;
using Pli.Domain.Companies;
using Pli.Web.Features.Shared;

namespace Pli.Web.Features.Deposits.Receipts;

/// <summary>
/// The acknowledgement of receipt (accusé de réception) of a deposit or a withdrawal, as a PDF the company
/// keeps: what was received (every file's SHA-256), when (to the second, Paris time and UTC), and how to
/// check the time-stamp token. The same receipt gives the same bytes: no machine clock, no random identifier.
/// </summary>
public static partial class ReceiptPdf
{
    public static async Task WriteAsync(ReceiptDocument receipt, Stream output, CultureInfo culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(culture);

        // PDFsharp saves synchronously and reads the stream's position for its cross-reference table, which a
        // response body forbids. A receipt is some tens of kilobytes (the fonts are subset), so it is rendered
        // into memory and copied asynchronously: the output need not seek nor accept synchronous writes.
        using var buffer = new MemoryStream();
        using (var document = Render(receipt, culture, cancellationToken))
        {
            document.Save(buffer, closeStream: false);
        }
        NameXmpIdentifiers(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), DocumentId(receipt, culture));
        await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
    }

    internal static PdfDocument Render(ReceiptDocument receipt, CultureInfo culture, CancellationToken cancellationToken)
    {
        ReceiptFonts.EnsureRegistered();
        var t = new ReceiptTexts(culture);
        var isDeposit = receipt.Kind == ReceiptKind.Deposit;
        var title = t[isDeposit ? "TitleDeposit" : "TitleWithdrawal"];

        var document = new PdfDocument();
        try
        {
            Describe(document, receipt, title, culture);
            using var layout = new ReceiptLayout(document, t["Platform"], t["Tagline"],
                t.Format("NumberBand", receipt.Number), t.Format("RunningHeader", title, receipt.Number));

            layout.Title(title);
            layout.Paragraph(t.Format(isDeposit ? "IntroDeposit" : "IntroWithdrawal", receipt.CompanyName, receipt.ConsultationReference));
            if (receipt.IsLate)
            {
                layout.Banner(t["LateBanner"]);
            }

            WhenSection(layout, t, receipt, isDeposit);
            ConsultationSection(layout, t, receipt);
            CandidateSection(layout, t, receipt);
            FilesSection(layout, t, receipt, isDeposit, cancellationToken);
            TimestampSection(layout, t, receipt);

            layout.Space(4);
            var closing = !isDeposit ? "ClosingWithdrawal" : receipt.IsLate ? "ClosingLate" : "ClosingDeposit";
            layout.Paragraph(t[closing], layout.Small);

            var footer = t.Format("Footer", title, receipt.Number);
            layout.Finish(footer, (page, count) => t.Format("PageOf", page, count));
            NameSubsetsByTheirFont(document);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static void Describe(PdfDocument document, ReceiptDocument receipt, string title, CultureInfo culture)
    {
        document.Info.Title = $"{title} — {receipt.Number}";
        document.Info.Author = "Pli";
        document.Info.Creator = "Pli";
        document.Info.Subject = $"{receipt.ConsultationReference} — {receipt.ConsultationTitle}";
        // Dated by the horodatage, not by the machine rendering it: rendering a receipt again gives the same file.
        document.Info.CreationDate = receipt.ReceivedAtUtc.UtcDateTime;
        document.Info.ModificationDate = receipt.ReceivedAtUtc.UtcDateTime;
        document.Language = culture.Name;

        // PDFsharp would make the file identifier from a new GUID; this one names the receipt instead.
        var raw = string.Concat(DocumentId(receipt, culture).ToByteArray().Select(b => (char)b));
        document.Internals.FirstDocumentID = raw;
        document.Internals.SecondDocumentID = raw;
    }

    private static Guid DocumentId(ReceiptDocument receipt, CultureInfo culture) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{receipt.Kind}|{receipt.Number}|{receipt.ReceiptSha256}|{culture.Name}")).AsSpan(0, 16));

    /// <summary>
    /// PDFsharp writes new GUIDs as the XMP DocumentID and InstanceID when it saves, with no option to give
    /// them. The XMP stream is stored uncompressed and a GUID always has 36 characters, so they are replaced
    /// in place, offsets unchanged. Should a later PDFsharp write them otherwise, nothing is replaced and the
    /// test that renders a receipt twice says so.
    /// </summary>
    private static void NameXmpIdentifiers(Span<byte> pdf, Guid id)
    {
        var value = Encoding.ASCII.GetBytes(id.ToString("D"));
        foreach (var tag in (string[])["<xmpMM:DocumentID>uuid:", "<xmpMM:InstanceID>uuid:"])
        {
            var at = pdf.IndexOf(Encoding.ASCII.GetBytes(tag));
            if (at >= 0 && pdf.Length > at + tag.Length + value.Length && pdf[at + tag.Length + value.Length] == (byte)'<')
            {
                value.CopyTo(pdf[(at + tag.Length)..]);
            }
        }
    }

    /// <summary>
    /// PDFsharp tags each embedded font subset ("ABCDEF+DejaVuSans") with letters from a new GUID; the tag
    /// only has to tell subsets apart within the file, so it is made from the font's name instead.
    /// </summary>
    private static void NameSubsetsByTheirFont(PdfDocument document)
    {
        foreach (var dictionary in document.Internals.GetAllObjects().OfType<PdfDictionary>())
        {
            foreach (var key in (string[])["/BaseFont", "/FontName"])
            {
                var name = dictionary.Elements.GetName(key);
                if (SubsetTag().IsMatch(name))
                {
                    var font = name[8..];
                    var digest = SHA256.HashData(Encoding.UTF8.GetBytes(font));
                    var tag = string.Concat(digest.Take(6).Select(b => (char)('A' + b % 26)));
                    dictionary.Elements.SetName(key, $"/{tag}+{font}");
                }
            }
        }
    }

    [GeneratedRegex(@"^/[A-Z]{6}\+")]
    private static partial Regex SubsetTag();

    private static void WhenSection(ReceiptLayout layout, ReceiptTexts t, ReceiptDocument receipt, bool isDeposit)
    {
        layout.Section(t[isDeposit ? "SectionReceipt" : "SectionWithdrawal"]);
        layout.Field(t[isDeposit ? "ReceivedAt" : "WithdrawnAt"], Paris(receipt.ReceivedAtUtc, t), layout.BodyBold);
        layout.Field(t["ReceivedAtUtc"], receipt.ReceivedAtUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        layout.Field(t["TransmissionStarted"], Paris(receipt.TransmissionStartedUtc, t));
        layout.Field(t["Deadline"], Paris(receipt.DeadlineUtc, t));
        if (isDeposit)
        {
            layout.Field(t["Timeliness"], t[receipt.IsLate ? "Late" : "OnTime"], receipt.IsLate ? layout.BodyBold : null);
        }
    }

    private static void ConsultationSection(ReceiptLayout layout, ReceiptTexts t, ReceiptDocument receipt)
    {
        layout.Section(t["SectionConsultation"]);
        layout.Field(t["Reference"], receipt.ConsultationReference);
        layout.Field(t["ConsultationTitle"], receipt.ConsultationTitle);
        layout.Field(t["Buyer"], receipt.BuyerName);
    }

    private static void CandidateSection(ReceiptLayout layout, ReceiptTexts t, ReceiptDocument receipt)
    {
        layout.Section(t["SectionCandidate"]);
        layout.Field(t["Company"], receipt.CompanyName);
        if (!string.IsNullOrWhiteSpace(receipt.CompanySiret))
        {
            layout.Field(t["Siret"], FormatSiret(receipt.CompanySiret));
        }
        layout.Field(t["Mode"], receipt.Mode);
        for (var i = 0; i < receipt.Members.Count; i++)
        {
            var member = receipt.Members[i];
            var value = string.IsNullOrWhiteSpace(member.Siret)
                ? t.Format("MemberNoSiret", member.Name, member.Role)
                : t.Format("Member", member.Name, FormatSiret(member.Siret), member.Role);
            layout.Field(i == 0 ? t["Members"] : "", value);
        }
        if (receipt.Lots.Count > 0)
        {
            layout.Field(t[receipt.Lots.Count == 1 ? "Lot" : "Lots"], string.Join('\n', receipt.Lots));
        }
        layout.Field(t["CandidatureType"], receipt.CandidatureType);
    }

    private static void FilesSection(ReceiptLayout layout, ReceiptTexts t, ReceiptDocument receipt, bool isDeposit, CancellationToken cancellationToken)
    {
        layout.Section(t[isDeposit ? "SectionFiles" : "SectionFilesWithdrawn"]);
        var culture = t.Culture;
        // The digest column is as wide as 64 hex digits in the small monospace font, so that each digest stays
        // on one line and can be read (or copied) in one piece.
        var digestWidth = Math.Ceiling(layout.Measure(new string('0', 64), layout.MonoSmall)) + 8;
        ReceiptColumn[] columns =
        [
            new(t["ColumnNumber"], 24, layout.Small, AlignRight: true),
            new(t["ColumnFile"], 0, layout.Small),
            new(t["ColumnSize"], 52, layout.Small, AlignRight: true),
            new(t["ColumnSha256"], digestWidth, layout.MonoSmall),
        ];
        foreach (var envelope in receipt.Envelopes)
        {
            var size = envelope.Files.Sum(f => f.Size);
            layout.Subheading(t.Format(envelope.Files.Count == 1 ? "EnvelopeOne" : "EnvelopeMany",
                envelope.Label, envelope.Files.Count, ConsultationLabels.FileSize(size, culture)));
            if (envelope.Files.Count == 0)
            {
                layout.Paragraph(t["EnvelopeEmpty"], layout.Small);
                continue;
            }
            layout.Table(columns, envelope.Files.Select((f, i) => (IReadOnlyList<string>)
                [(i + 1).ToString(culture), f.Name, ConsultationLabels.FileSize(f.Size, culture), f.Sha256.ToLowerInvariant()]),
                cancellationToken);
        }
        var files = receipt.Envelopes.Sum(e => e.Files.Count);
        var bytes = receipt.Envelopes.Sum(e => e.Files.Sum(f => f.Size));
        layout.Field(t["Total"], t.Format(files == 1 ? "TotalOne" : "TotalMany", files, ConsultationLabels.FileSize(bytes, culture), bytes),
            layout.BodyBold);
        if (receipt.BackupCopyDeclared)
        {
            layout.Field(t["BackupCopy"], t["BackupCopyDeclared"]);
        }
    }

    private static void TimestampSection(ReceiptLayout layout, ReceiptTexts t, ReceiptDocument receipt)
    {
        layout.Section(t["SectionTimestamp"]);
        layout.Field(t["ReceiptDigest"], receipt.ReceiptSha256.ToLowerInvariant(), layout.Mono);
        if (receipt.TimestampGenTime is { } genTime)
        {
            layout.Field(t["TimestampGenTime"], Paris(genTime, t));
            layout.Field(t["TimestampSerial"], receipt.TimestampSerial ?? "—", layout.Mono);
            layout.Field(t["TimestampAuthority"], receipt.TimestampAuthority ?? "—");
        }
        else
        {
            layout.Paragraph(t["TimestampPending"], layout.Small);
        }
        layout.Space(2);
        layout.Paragraph(t["VerifyHow"], layout.Small, spaceAfter: 3);
        layout.Paragraph("openssl ts -verify -data recepisse.json -in recepisse.tsr -CAfile tsa.pem", layout.Mono, spaceAfter: 3);
        layout.Paragraph(t["VerifyFiles"], layout.Small);
    }

    private static string Paris(DateTimeOffset instant, ReceiptTexts t) => ParisTime.FormatLong(instant.UtcDateTime, t.Culture);

    private static string FormatSiret(string siret) => Siret.TryParse(siret, out var parsed) ? parsed.ToString() : siret;
}
