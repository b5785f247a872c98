using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Portal;

/// <summary>
/// Test consultations made through the domain, as the back office would: a fresh buyer unless one
/// is given, one DCE file, published unless asked to stay a draft.
/// </summary>
public sealed class ConsultationBuilder(PliApp app)
{
    private string _reference = "T-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
    private string _title = "Consultation de test";
    private string _object = "Objet de test";
    private ProcedureType _procedure = ProcedureType.ProcedureAdaptee;
    private Nature _nature = Pli.Domain.Consultations.Nature.Services;
    private string _cpv = "90910000-9";
    private string _place = "Marseille";
    private DateTime? _deadlineParis;
    private TimeSpan _deadlineIn = TimeSpan.FromDays(10);
    private Guid? _organisationId;
    private string _organisationName = "Acheteur " + Guid.NewGuid().ToString("N")[..6];
    private bool _publish = true;
    private readonly List<string> _lots = [];
    private readonly List<(string Path, long Size)> _files = [];

    public ConsultationBuilder Reference(string reference) { _reference = reference; return this; }
    public ConsultationBuilder Title(string title) { _title = title; return this; }
    public ConsultationBuilder Object(string text) { _object = text; return this; }
    public ConsultationBuilder Procedure(ProcedureType procedure) { _procedure = procedure; return this; }
    public ConsultationBuilder Nature(Nature nature) { _nature = nature; return this; }
    public ConsultationBuilder Cpv(string code) { _cpv = code; return this; }
    public ConsultationBuilder Place(string place) { _place = place; return this; }
    public ConsultationBuilder DeadlineIn(TimeSpan fromNow) { _deadlineIn = fromNow; _deadlineParis = null; return this; }
    public ConsultationBuilder DeadlineParis(DateTime wallClock) { _deadlineParis = wallClock; return this; }
    public ConsultationBuilder Buyer(Guid organisationId) { _organisationId = organisationId; return this; }
    public ConsultationBuilder NewBuyer(string name) { _organisationName = name; _organisationId = null; return this; }
    public ConsultationBuilder Lot(string title) { _lots.Add(title); return this; }
    public ConsultationBuilder File(string path, long size) { _files.Add((path, size)); return this; }
    public ConsultationBuilder Draft() { _publish = false; return this; }

    public async Task<Consultation> SaveAsync()
    {
        var now = app.Time.GetUtcNow().UtcDateTime;
        var cpv = app.Services.GetRequiredService<CpvCatalog>();
        var deadline = _deadlineParis is { } paris ? ParisTime.ToUtc(paris) : now.Add(_deadlineIn);
        return await app.WithDb(async db =>
        {
            var organisationId = _organisationId;
            if (organisationId is null)
            {
                var organisation = Organisation.Create(_organisationName, null, now);
                db.Organisations.Add(organisation);
                organisationId = organisation.Id;
            }
            var questions = deadline.AddDays(-7) > now ? deadline.AddDays(-7) : deadline;
            var consultation = Consultation.CreateDraft(organisationId.Value,
                new ConsultationDetails(_reference, _title, _object, _procedure, _nature, cpv.Require(_cpv), _place,
                    deadline, questions, FilePolicy.DefaultAcceptedFormats), now);
            for (var i = 0; i < _lots.Count; i++)
            {
                consultation.AddLot(i + 1, _lots[i]);
            }
            var files = _files.Count == 0 ? [("RC.pdf", 1234L)] : _files;
            foreach (var (path, size) in files)
            {
                consultation.AddDceFile(path, size, new string('a', 64), $"dce/{consultation.Id:N}/{Guid.NewGuid():N}", now);
            }
            if (_publish)
            {
                consultation.Publish(now);
            }
            db.Consultations.Add(consultation);
            await db.SaveChangesAsync();
            return consultation;
        });
    }

    /// <summary>
    /// <paramref name="count"/> published consultations of one new buyer in one save (too slow one by one), referenced
    /// <c>{prefix}-0000</c>, <c>{prefix}-0001</c>… in deadline order (one hour apart); <paramref name="title"/> gives each its title.
    /// </summary>
    public static async Task<Guid> SeedManyAsync(PliApp app, string prefix, int count, Func<int, string> title)
    {
        var now = app.Time.GetUtcNow().UtcDateTime;
        var cpv = app.Services.GetRequiredService<CpvCatalog>().Require("90910000-9");
        return await app.WithDb(async db =>
        {
            var organisation = Organisation.Create("Acheteur " + prefix, null, now);
            db.Organisations.Add(organisation);
            for (var i = 0; i < count; i++)
            {
                var deadline = now.AddDays(10).AddHours(i);
                var consultation = Consultation.CreateDraft(organisation.Id,
                    new ConsultationDetails($"{prefix}-{i:D4}", title(i), "Objet", ProcedureType.ProcedureAdaptee, Pli.Domain.Consultations.Nature.Services,
                        cpv, "Marseille", deadline, deadline.AddDays(-7), FilePolicy.DefaultAcceptedFormats), now);
                consultation.AddDceFile("RC.pdf", 1234, new string('a', 64), $"dce/{consultation.Id:N}/rc", now);
                consultation.Publish(now);
                db.Consultations.Add(consultation);
            }
            await db.SaveChangesAsync();
            return organisation.Id;
        });
    }

    public static Task<Guid> CreateBuyerAsync(PliApp app, string name) => app.WithDb(async db =>
    {
        var organisation = Organisation.Create(name, null, app.Time.GetUtcNow().UtcDateTime);
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();
        return organisation.Id;
    });

    public static Task<Guid> DemoBuyerIdAsync(PliApp app) =>
        app.WithDb(db => db.Organisations.Where(o => o.Name == "Métropole Démo").Select(o => o.Id).SingleAsync());

    public static Task<Guid> IdOfAsync(PliApp app, string reference) =>
        app.WithDb(db => db.Consultations.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync());
}
