using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Domain.Organisations;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Data;

namespace Pli.Browser.Tests.Deposits;

/// <summary>A published consultation of a fresh buyer and the demo company's draft on it, made through the domain.</summary>
public static class DraftDeposits
{
    public static async Task<(Guid ConsultationId, Guid DepositId)> CreateAsync(BrowserApp app, TimeSpan deadlineIn, params string[] lots)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var cpv = scope.ServiceProvider.GetRequiredService<CpvCatalog>();
        var now = app.Time.GetUtcNow().UtcDateTime;
        var organisation = Organisation.Create("Acheteur " + Guid.NewGuid().ToString("N")[..6], null, now);
        db.Organisations.Add(organisation);
        var deadline = now.Add(deadlineIn);
        var consultation = Consultation.CreateDraft(organisation.Id, new ConsultationDetails(
            "B-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), "Consultation du navigateur", "Objet", ProcedureType.ProcedureAdaptee,
            Nature.Services, cpv.Require("90910000-9"), "Marseille", deadline, deadline, FilePolicy.DefaultAcceptedFormats), now);
        for (var i = 0; i < lots.Length; i++)
        {
            consultation.AddLot(i + 1, lots[i]);
        }
        consultation.AddDceFile("RC.pdf", 10, new string('0', 64), "dce/none", now);
        consultation.Publish(now);
        db.Consultations.Add(consultation);
        var user = await db.Users.SingleAsync(u => u.Email == DemoData.CompanyEmail);
        var deposit = Deposit.StartDraft(consultation, user.CompanyId!.Value, user.Id, DepositChoices.Solo([.. Enumerable.Range(1, lots.Length)]), now);
        db.Deposits.Add(deposit);
        await db.SaveChangesAsync();
        return (consultation.Id, deposit.Id);
    }
}
