using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Companies;
using Pli.Domain.Consultations;
using Pli.Domain.Dce;
using Pli.Domain.Deposits;
using Pli.Domain.Messaging;
using Pli.Domain.Questions;
using Pli.Web.Features.Demo;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Registers;

/// <summary>What the four registers of one consultation hold in <see cref="RegisterScenario"/>.</summary>
public sealed record RegisterSample(Guid ConsultationId, string Reference, DateTime DeadlineUtc, string OnTimeNumber, string LateNumber, string WithdrawnNumber, string FileSha256)
{
    public string Path(string register) => $"/acheteur/consultations/{ConsultationId}/{register}";

    public string Export(string register, string format) => $"/acheteur/consultations/{ConsultationId}/{register}/export.{format}";
}

/// <summary>
/// A consultation of the demo buyer whose registers each have lines, written straight through the domain:
/// a download, a question, three deposits (on time, late, withdrawn) of a company whose name is a formula, a message.
/// </summary>
public static class RegisterScenario
{
    public const string FormulaCompany = "=HYPERLINK(\"http://x\")";
    public const string MessageText = "Texte confidentiel du message";
    public const string ReplyText = "Texte confidentiel de la réponse";
    public const string FileName = "offre-technique.pdf";

    public static async Task<RegisterSample> CreateAsync(PliApp app)
    {
        var consultation = await new ConsultationBuilder(app).Buyer(await ConsultationBuilder.DemoBuyerIdAsync(app)).DeadlineIn(TimeSpan.FromDays(10)).SaveAsync();
        var now = app.Time.GetUtcNow().UtcDateTime;
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(consultation.Reference)));
        string onTime = "", late = "", withdrawn = "";
        await app.WithDb(async db =>
        {
            var loaded = await db.Consultations.Include(c => c.Lots).SingleAsync(c => c.Id == consultation.Id);
            var deadline = loaded.DeadlineUtc;
            var companyUser = await db.Users.SingleAsync(u => u.Email == DemoData.CompanyEmail);
            var agent = await db.Users.SingleAsync(u => u.Email == DemoData.AgentEmail);
            var company = Company.CreateFrench(FormulaCompany, NewSiret(), new Address("1 rue de la Paix", "13001", "Marseille", "FR"), now);
            db.Companies.Add(company);

            db.DceDownloads.Add(DceDownload.Identified(loaded.Id, companyUser.Id, companyUser.CompanyId!.Value, DceDownload.WholeDce, now));
            db.Questions.Add(Question.Ask(loaded, companyUser.CompanyId!.Value, companyUser.Id, "Le lot comprend-il la dépose ?", null, now));

            var first = Draft(loaded, company.Id, companyUser.Id, now, sha, now, now);
            first.Seal(deadline, termsAccepted: true, backupCopyDeclared: true, now.AddMinutes(1));
            var second = Draft(loaded, company.Id, companyUser.Id, now, sha, deadline.AddSeconds(-1), deadline.AddSeconds(1));
            second.Seal(deadline, termsAccepted: true, backupCopyDeclared: false, deadline.AddSeconds(2));
            var third = Draft(loaded, company.Id, companyUser.Id, now, sha, now, now);
            third.Seal(deadline, termsAccepted: true, backupCopyDeclared: false, now.AddMinutes(2));
            third.Withdraw(deadline, now.AddMinutes(3));
            db.Deposits.AddRange(first, second, third);
            (onTime, late, withdrawn) = (first.Number, second.Number, third.Number);

            var thread = MessageThread.Start(loaded.Id, company.Id, MessageType.CandidatureComplements, "Complément", MessageText, null, agent.Id,
                [new MessageAttachment("demande.pdf", 2048, sha, "messages/demande")], now);
            thread.MarkRead(companyUser.Id, now.AddMinutes(5));
            thread.Reply(companyUser.Id, ReplyText, [new MessageAttachment("complement.pdf", 4096, sha, "messages/complement")], now.AddMinutes(10));
            db.MessageThreads.Add(thread);
            await db.SaveChangesAsync();
        });
        return new RegisterSample(consultation.Id, consultation.Reference, consultation.DeadlineUtc, onTime, late, withdrawn, sha);
    }

    private static Deposit Draft(Consultation consultation, Guid companyId, Guid userId, DateTime now, string sha, DateTime started, DateTime received)
    {
        var deposit = Deposit.StartDraft(consultation, companyId, userId, new DepositChoices(DepositMode.Solo, CandidatureType.Standard, [], []), now);
        deposit.AddReceivedFile(EnvelopeKind.Candidature, null, "dc1.pdf", 1234, sha, $"deposits/{Guid.NewGuid():N}", Guid.NewGuid(), started, received);
        deposit.AddReceivedFile(EnvelopeKind.Offre, null, FileName, 123_456, sha, $"deposits/{Guid.NewGuid():N}", Guid.NewGuid(), started, received);
        return deposit;
    }

    /// <summary>A valid SIRET (Luhn), different each time: SIRETs are unique among companies.</summary>
    public static string NewSiret()
    {
        var digits = new int[14];
        for (var i = 0; i < 13; i++)
        {
            digits[i] = Random.Shared.Next(10);
        }
        digits[0] = 1 + Random.Shared.Next(9);
        for (var check = 0; check < 10; check++)
        {
            digits[13] = check;
            var sum = 0;
            for (var i = 0; i < 14; i++)
            {
                var d = digits[i] * ((i % 2 == 0) ? 2 : 1);
                sum += d > 9 ? d - 9 : d;
            }
            if (sum % 10 == 0)
            {
                break;
            }
        }
        return string.Concat(digits);
    }

    /// <summary>The PDF's text as poppler reads it, pages separated by form feeds.</summary>
    public static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pli-register-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
            foreach (var argument in (string[])["-enc", "UTF-8", path, "-"])
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("pdftotext did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"pdftotext failed ({process.ExitCode}): {await errors}");
            return await output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
