using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// The permanent test consultation (E6 of the arrêté of 22 March 2019): any company can rehearse the whole
/// deposit on it, files, seal and receipt, at any time. Its buyer is the platform itself; its plis are
/// never opened. Its deadline is years ahead and moves forward whenever it comes within a year.
/// </summary>
public static class TestConsultation
{
    /// <summary>The references start so; the year of the deadline follows ("PLI-TEST-2031").</summary>
    public const string ReferencePrefix = "PLI-TEST";
    public const string BuyerName = "Pli — consultation d'entraînement";

    public static async Task EnsureTestConsultationAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        if (!scope.ServiceProvider.GetRequiredService<IOptions<DepositOptions>>().Value.TestConsultation)
        {
            return;
        }
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Name == BuyerName);
        if (organisation is null)
        {
            organisation = Organisation.Create(BuyerName, null, now);
            db.Organisations.Add(organisation);
        }
        else if (await db.Consultations.AnyAsync(c => c.OrganisationId == organisation.Id && c.Status == ConsultationStatus.Published && c.DeadlineUtc > now.AddYears(1)))
        {
            return;
        }
        var cpv = scope.ServiceProvider.GetRequiredService<CpvCatalog>();
        var deadline = ParisTime.ToUtc(ParisTime.ToParis(now).Date.AddYears(5).AddHours(12));
        // A consultation's deadline is fixed once published: when it nears, the old one closes and a new one opens.
        var consultation = Consultation.CreateDraft(organisation.Id, new ConsultationDetails(
            $"{ReferencePrefix}-{ParisTime.ToParis(deadline).Year}",
            "Consultation de test : entraînez-vous à déposer un pli",
            "Consultation permanente d'entraînement : déposez un pli comme pour une vraie consultation (fichiers, validation, accusé de réception). Aucun pli n'est ouvert ni lu.",
            ProcedureType.ProcedureAdaptee, Nature.Services, cpv.Require("79000000-4"), "—",
            deadline, deadline.AddDays(-1), FilePolicy.DefaultAcceptedFormats), now);
        consultation.AddLot(1, "Lot d'entraînement A");
        consultation.AddLot(2, "Lot d'entraînement B");
        var store = scope.ServiceProvider.GetRequiredService<IFileStore>();
        var storageKey = $"dce/{consultation.Id:N}/{Guid.NewGuid():N}";
        await using (var content = new MemoryStream(DemoData.TinyPdf("Reglement de la consultation de test PLI-TEST")))
        {
            var stored = await store.SaveAsync(storageKey, content);
            consultation.AddDceFile("RC.pdf", stored.Size, stored.Sha256, storageKey, now);
        }
        consultation.Publish(now);
        db.Consultations.Add(consultation);
        await db.SaveChangesAsync();
    }
}
