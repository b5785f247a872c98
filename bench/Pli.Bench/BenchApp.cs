using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Tests.Infrastructure;

/// <summary>Pli on its own SQLite database and folders, as the integration tests host it, plus the data a benchmark needs.</summary>
internal sealed class BenchApp(IDictionary<string, string?>? settings = null) : SqliteApp
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var all = new Dictionary<string, string?> { ["Security:SecureCookies"] = "false" };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                all[key] = value;
            }
            return all;
        }
    }

    /// <summary>A published consultation whose DCE is one incompressible file of the given size.</summary>
    public Task<Guid> SeedBigDceAsync(int mebibytes) =>
        SeedPublishedAsync("BENCH-" + mebibytes, FilePolicy.DefaultAcceptedFormats, "Plans/plans.pdf", () => new PseudoRandomStream((long)mebibytes * 1048576));

    /// <summary>
    /// A published consultation that accepts <paramref name="formats"/> in deposits (e.g. ".bin", which
    /// FileSignatures does not know, so random bytes pass the content check); its DCE is one small file.
    /// </summary>
    public Task<Guid> SeedDepositConsultationAsync(string reference, IReadOnlyList<string> formats) =>
        SeedPublishedAsync(reference, formats, "RC.txt", () => new MemoryStream("Règlement de consultation du banc de mesure."u8.ToArray()));

    private async Task<Guid> SeedPublishedAsync(string reference, IReadOnlyList<string> formats, string dceName, Func<Stream> dceContent)
    {
        var store = Services.GetRequiredService<IFileStore>();
        var cpv = Services.GetRequiredService<CpvCatalog>();
        return await WithDb(async db =>
        {
            var organisation = db.Organisations.First();
            var now = Time.GetUtcNow().UtcDateTime;
            var details = new ConsultationDetails(reference, "Banc de mesure", "", ProcedureType.AppelOffresOuvert, Nature.Travaux,
                cpv.Require("45000000-7"), "", now.AddDays(30), now.AddDays(20), formats);
            var consultation = Consultation.CreateDraft(organisation.Id, details, now);
            var key = $"dce/{consultation.Id:N}/{Guid.NewGuid():N}";
            await using (var content = dceContent())
            {
                var stored = await store.SaveAsync(key, content);
                consultation.AddDceFile(dceName, stored.Size, stored.Sha256, key, now);
            }
            consultation.Publish(now);
            db.Consultations.Add(consultation);
            await db.SaveChangesAsync();
            return consultation.Id;
        });
    }
}
