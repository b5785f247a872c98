using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Dce;

/// <summary>A consultation of the demo buyer with its own DCE, so that each test counts only its own downloads.</summary>
public sealed record DceSample(Guid ConsultationId, string Reference, IReadOnlyDictionary<string, byte[]> Contents, IReadOnlyDictionary<string, Guid> FileIds)
{
    public string PagePath => $"/consultations/{ConsultationId}/dce";
    public string ZipPath => $"/consultations/{ConsultationId}/dce/zip";
    public string FilePath(string relativePath) => $"/consultations/{ConsultationId}/dce/fichiers/{FileIds[relativePath]}";
    public string RegisterPath => $"/acheteur/consultations/{ConsultationId}/retraits";
}

public static class DceScenario
{
    public const string Folder = "Pièces techniques/";
    public const string Cctp = "Pièces techniques/CCTP.pdf";
    public const string Bpu = "Pièces techniques/BPU.txt";

    /// <summary>Four files like the demo's, two of them in a folder; the CCTP is big enough to span many buffers.</summary>
    public static async Task<DceSample> CreateAsync(PliApp app, bool publish = true)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var store = scope.ServiceProvider.GetRequiredService<IFileStore>();
        var cpv = scope.ServiceProvider.GetRequiredService<CpvCatalog>();
        var now = app.Time.GetUtcNow().UtcDateTime;
        var organisationId = await db.Organisations.Where(o => o.Name == "Métropole Démo").Select(o => o.Id).SingleAsync();
        var reference = "T/" + Guid.NewGuid().ToString("N")[..8];
        var deadline = now.AddDays(30);
        var consultation = Consultation.CreateDraft(organisationId, new ConsultationDetails(reference, "Consultation d'essai " + reference, "Objet",
            ProcedureType.AppelOffresOuvert, Nature.Travaux, cpv.Require("45233120-6"), "Marseille", deadline, deadline.AddDays(-7),
            FilePolicy.DefaultAcceptedFormats), now);
        var big = new byte[300_000];
        new Random(42).NextBytes(big);
        var contents = new Dictionary<string, byte[]>
        {
            ["RC.pdf"] = DemoData.TinyPdf("Reglement " + reference),
            ["CCAP.pdf"] = DemoData.TinyPdf("CCAP " + reference),
            [Cctp] = big,
            [Bpu] = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, 200).Select(i => $"Prix n° {i} : mètre cube de déblai\n"))),
        };
        var ids = new Dictionary<string, Guid>();
        foreach (var (path, bytes) in contents)
        {
            var key = $"dce/{consultation.Id:N}/{Guid.NewGuid():N}";
            await using var stream = new MemoryStream(bytes);
            var stored = await store.SaveAsync(key, stream);
            ids[path] = consultation.AddDceFile(path, stored.Size, stored.Sha256, key, now).Id;
        }
        if (publish)
        {
            consultation.Publish(now);
        }
        db.Consultations.Add(consultation);
        await db.SaveChangesAsync();
        return new DceSample(consultation.Id, reference, contents, ids);
    }

    /// <summary>The deadline moved into the past, as if weeks had gone by (the domain refuses to publish so).</summary>
    public static Task MovePastDeadlineAsync(PliApp app, Guid consultationId) => app.WithDb(async db =>
    {
        var consultation = await db.Consultations.SingleAsync(c => c.Id == consultationId);
        var past = app.Time.GetUtcNow().UtcDateTime.AddDays(-1);
        db.Entry(consultation).Property(c => c.DeadlineUtc).CurrentValue = past;
        db.Entry(consultation).Property(c => c.QuestionDeadlineUtc).CurrentValue = past.AddDays(-7);
        await db.SaveChangesAsync();
    });

    /// <summary>An agent (with the demo TOTP secret) of another buyer; returns the e-mail to sign in with.</summary>
    public static async Task<string> CreateOtherBuyerAgentAsync(PliApp app) =>
        (await Backoffice.BackofficeTestData.CreateOrganisationWithAgentAsync(app, AgentRole.ConsultationManager | AgentRole.OrganisationAdmin, "Autre acheteur")).Email;

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

/// <summary>Reads the central directory of a zip to see what ZipArchive does not expose: each entry's flags and method.</summary>
public static class ZipCentralDirectory
{
    public const ushort Stored = 0;
    public const ushort Deflated = 8;

    public sealed record Entry(string Name, ushort Flags, ushort Method)
    {
        /// <summary>General purpose bit 11: the name is UTF-8.</summary>
        public bool Utf8 => (Flags & 0x0800) != 0;
    }

    public static IReadOnlyList<Entry> Read(byte[] zip)
    {
        var end = zip.Length - 22;
        while (end >= 0 && BitConverter.ToUInt32(zip, end) != 0x06054b50)
        {
            end--;
        }
        Assert.True(end >= 0, "No end of central directory record.");
        int count = BitConverter.ToUInt16(zip, end + 10);
        var offset = (int)BitConverter.ToUInt32(zip, end + 16);
        var entries = new List<Entry>();
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(0x02014b50u, BitConverter.ToUInt32(zip, offset));
            var flags = BitConverter.ToUInt16(zip, offset + 8);
            var method = BitConverter.ToUInt16(zip, offset + 10);
            int nameLength = BitConverter.ToUInt16(zip, offset + 28);
            int extraLength = BitConverter.ToUInt16(zip, offset + 30);
            int commentLength = BitConverter.ToUInt16(zip, offset + 32);
            entries.Add(new Entry(Encoding.UTF8.GetString(zip, offset + 46, nameLength), flags, method));
            offset += 46 + nameLength + extraLength + commentLength;
        }
        return entries;
    }
}
