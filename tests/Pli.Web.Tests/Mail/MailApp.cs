using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Mail;

/// <summary>
/// Pli over SQLite for the outbox tests: its mails go to an SMTP sink that may be down or refuse,
/// and it can hand its folders and its sink over to a restarted process.
/// </summary>
public sealed class MailApp : SqliteApp
{
    private readonly bool _worker;
    private readonly IDictionary<string, string?> _settings;

    public MailApp(SmtpSink? smtp = null, bool worker = false, IDictionary<string, string?>? settings = null)
        : this(null, smtp, worker, settings)
    {
    }

    private MailApp(string? sharedDataRoot, SmtpSink? smtp, bool worker, IDictionary<string, string?>? settings)
        : base(sharedDataRoot, smtp)
    {
        OwnsDataRoot = true;
        _worker = worker;
        _settings = settings ?? new Dictionary<string, string?>();
    }

    protected override bool OutboxWorker => _worker;

    protected override IDictionary<string, string?> Settings => _settings;

    /// <summary>A new process over the same database and the same SMTP server; this one no longer deletes the folders.</summary>
    public MailApp Restarted(bool worker = false)
    {
        OwnsDataRoot = false;
        return new MailApp(DataRoot, Smtp, worker, _settings);
    }

    /// <summary>Puts a mail in the outbox as a feature does: enqueued, then saved (or not) with the change.</summary>
    public async Task<Guid> EnqueueAsync(string to, string subject = "Avis de test", bool save = true)
    {
        await using var scope = Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<MailOutbox>();
        var template = scope.ServiceProvider.GetRequiredService<MailTemplate>();
        var mail = outbox.Enqueue(template.Create(to, subject, ["Une consultation a changé."], "Voir la consultation", "https://localhost/consultations/1"));
        if (save)
        {
            await scope.ServiceProvider.GetRequiredService<Pli.Web.Infrastructure.Data.PliDbContext>().SaveChangesAsync();
        }
        return mail.Id;
    }

    public Task<OutboxMail> OutboxMailAsync(Guid id) => WithDb(db => db.OutboxMails.AsNoTracking().SingleAsync(m => m.Id == id));

    /// <summary>The dispatcher's retry delay after <paramref name="attempts"/> failures.</summary>
    public TimeSpan RetryDelay(int attempts) => Services.GetRequiredService<OutboxDispatcher>().RetryDelay(attempts);
}
