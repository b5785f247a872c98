using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Domain.Companies;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Demo;

/// <summary>
/// Demo accounts and consultations, seeded on the first start of a development platform so that
/// a newcomer can try every feature at once. The credentials are in the README.
/// </summary>
public static class DemoData
{
    public const string AdminEmail = "admin@pli.localhost";
    public const string AgentEmail = "agent@metropole-demo.localhost";
    public const string CompanyEmail = "contact@btp-demo.localhost";
    public const string Password = "Demo-Pli-2026!";

    /// <summary>Base32 secret of the demo agent's and admin's authenticator (TOTP, 6 digits, 30 s).</summary>
    public const string TotpSecret = "JBSWY3DPEHPK3PXP";

    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection("Demo"));
        return services;
    }

    public static async Task SeedDemoDataAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value;
        if (!options.Seed)
        {
            return;
        }
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        if (await db.Organisations.AnyAsync())
        {
            return;
        }
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PliUser>>();
        var keys = (IUserAuthenticatorKeyStore<PliUser>)scope.ServiceProvider.GetRequiredService<IUserStore<PliUser>>();
        var store = scope.ServiceProvider.GetRequiredService<IFileStore>();
        var cpv = scope.ServiceProvider.GetRequiredService<CpvCatalog>();
        var now = time.GetUtcNow().UtcDateTime;

        var organisation = Organisation.Create("Métropole Démo", "20005480700017", now);
        organisation.AddService("Direction de la commande publique");
        organisation.AddService("Direction des routes");
        db.Organisations.Add(organisation);

        var company = Company.CreateFrench("BTP Démo SARL", "44321010900015", new Address("12 quai du Port", "13002", "Marseille", "FR"), now);
        db.Companies.Add(company);
        await db.SaveChangesAsync();

        await CreateUserAsync(users, keys, new PliUser { Email = AdminEmail, FullName = "Admin Plateforme", IsPlatformAdmin = true, CreatedUtc = now }, withTotp: true);
        await CreateUserAsync(users, keys, new PliUser
        {
            Email = AgentEmail, FullName = "Agnès Acheteuse", OrganisationId = organisation.Id, CreatedUtc = now,
            AgentRoles = AgentRole.ConsultationManager | AgentRole.Opener | AgentRole.OrganisationAdmin,
        }, withTotp: true);
        await CreateUserAsync(users, keys, new PliUser { Email = CompanyEmail, FullName = "Camille Candidate", CompanyId = company.Id, IsCompanyAdmin = true, CreatedUtc = now }, withTotp: false);

        var samples = new[]
        {
            (Ref: "2026-TRV-0042", Title: "Reconstruction de l'échangeur de la Barasse", Object: "Travaux de reconstruction de l'échangeur autoroutier de la Barasse et de ses bretelles.",
                Procedure: ProcedureType.AppelOffresOuvert, Nature: Nature.Travaux, Cpv: "45233120-6", Place: "Marseille (13011)", Days: 30, Minutes: 0,
                Lots: new[] { "Terrassements et chaussées", "Ouvrages d'art", "Signalisation et équipements" }),
            (Ref: "2026-FCS-0107", Title: "Fourniture de mobilier scolaire pour les collèges", Object: "Fourniture et livraison de mobilier pour élèves et enseignants.",
                Procedure: ProcedureType.ProcedureAdaptee, Nature: Nature.Fournitures, Cpv: "39160000-1", Place: "Aix-en-Provence (13100)", Days: 21, Minutes: 0,
                Lots: new[] { "Mobilier des élèves", "Mobilier des enseignants" }),
            (Ref: "2026-SRV-0213", Title: "Nettoyage des bâtiments administratifs", Object: "Prestations de nettoyage et de vitrerie des bâtiments administratifs de la métropole.",
                Procedure: ProcedureType.AppelOffresOuvert, Nature: Nature.Services, Cpv: "90910000-9", Place: "Marseille et Aubagne", Days: 45, Minutes: 0,
                Lots: new[] { "Hôtel de la métropole", "Sites d'Aubagne" }),
            // Closes a quarter of an hour after the first start: a newcomer deposits, waits, then opens and awards.
            (Ref: "2026-DEM-0001", Title: "Démonstration : entretien des espaces verts (clôture rapide)", Object: "Consultation de démonstration dont la date limite tombe 15 minutes après le premier démarrage de la plateforme, pour essayer l'ouverture des plis et l'attribution.",
                Procedure: ProcedureType.ProcedureAdaptee, Nature: Nature.Services, Cpv: "77310000-6", Place: "Marseille (13008)", Days: 0, Minutes: 15,
                Lots: new[] { "Parcs et jardins" }),
        };
        foreach (var s in samples.Where(s => s.Minutes == 0 || options.ClosingSoon))
        {
            var deadline = s.Minutes == 0
                ? ParisTime.ToUtc(ParisTime.ToParis(now).Date.AddDays(s.Days).AddHours(12))
                : new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc).AddMinutes(s.Minutes + 1);
            var questionDeadline = s.Minutes == 0 ? deadline.AddDays(-7) : deadline.AddMinutes(-5);
            var details = new ConsultationDetails(s.Ref, s.Title, s.Object, s.Procedure, s.Nature, cpv.Require(s.Cpv), s.Place,
                deadline, questionDeadline, FilePolicy.DefaultAcceptedFormats, organisation.Services[0].Id);
            var consultation = Consultation.CreateDraft(organisation.Id, details, now);
            for (var i = 0; i < s.Lots.Length; i++)
            {
                consultation.AddLot(i + 1, s.Lots[i]);
            }
            foreach (var (path, text) in new[]
            {
                ("RC.pdf", $"Règlement de la consultation {s.Ref}"),
                ("CCAP.pdf", $"Cahier des clauses administratives particulières {s.Ref}"),
                ("Pièces techniques/CCTP.pdf", $"Cahier des clauses techniques particulières {s.Ref}"),
                ("Pièces techniques/BPU.txt", $"Bordereau des prix unitaires {s.Ref}"),
            })
            {
                var key = $"dce/{consultation.Id:N}/{Guid.NewGuid():N}";
                var bytes = path.EndsWith(".pdf", StringComparison.Ordinal) ? TinyPdf(text) : Encoding.UTF8.GetBytes(text + "\n");
                await using var content = new MemoryStream(bytes);
                var stored = await store.SaveAsync(key, content);
                consultation.AddDceFile(path, stored.Size, stored.Sha256, key, now);
            }
            consultation.Publish(now);
            db.Consultations.Add(consultation);
        }
        await db.SaveChangesAsync();
    }

    private static async Task CreateUserAsync(UserManager<PliUser> users, IUserAuthenticatorKeyStore<PliUser> keys, PliUser user, bool withTotp)
    {
        user.UserName = user.Email;
        user.EmailConfirmed = true;
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo user not created: " + string.Join(", ", result.Errors.Select(e => e.Description)));
        }
        if (withTotp)
        {
            // A known secret, printed in the README, so that a newcomer can add it to an authenticator app.
            await keys.SetAuthenticatorKeyAsync(user, TotpSecret, CancellationToken.None);
            await users.UpdateAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
        }
    }

    /// <summary>A one-page PDF with one line of text, enough for a DCE sample that any reader opens.</summary>
    internal static byte[] TinyPdf(string line)
    {
        var safe = new string([.. line.Normalize(NormalizationForm.FormD).Where(c => c < 128 && c != '(' && c != ')' && c != '\\')]);
        var stream = $"BT /F1 14 Tf 72 760 Td ({safe}) Tj ET";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {stream.Length} >>\nstream\n{stream}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }
        pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}

public sealed class DemoOptions
{
    public bool Seed { get; set; }

    /// <summary>Also seeds the consultation that closes 15 minutes after the first start (off in tests, which count consultations).</summary>
    public bool ClosingSoon { get; set; } = true;
}
