using Microsoft.EntityFrameworkCore;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Shared;

/// <summary>
/// The companies a consultation's notices, answers and messages go to: those that downloaded the DCE
/// identified (its followers) and those that deposited a pli. Anonymous downloaders are nobody here:
/// they chose not to be told. At each company, the people mailed are the users who downloaded or
/// deposited for this consultation, or else the company's administrators.
/// </summary>
public sealed class ConsultationAudience(PliDbContext db)
{
    public async Task<IReadOnlyList<AudienceCompany>> CompaniesAsync(Guid consultationId, CancellationToken cancellationToken = default)
    {
        var followers = await db.ConsultationFollowers.AsNoTracking().Where(f => f.ConsultationId == consultationId)
            .Select(f => f.CompanyId).ToListAsync(cancellationToken);
        var depositors = await db.Deposits.AsNoTracking().Where(d => d.ConsultationId == consultationId && d.Status != DepositStatus.Draft)
            .Select(d => d.CompanyId).Distinct().ToListAsync(cancellationToken);
        var ids = followers.Union(depositors).ToList();
        var names = await db.Companies.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return [.. ids.Where(names.ContainsKey)
            .Select(id => new AudienceCompany(id, names[id], followers.Contains(id), depositors.Contains(id)))
            .OrderBy(c => c.Name, StringComparer.CurrentCulture)];
    }

    /// <summary>
    /// The people to mail at <paramref name="companyIds"/> (all of the audience when null), one line per
    /// address. Only companies of the audience are kept: a forged company id reaches nobody.
    /// </summary>
    public async Task<IReadOnlyList<AudienceRecipient>> RecipientsAsync(Guid consultationId, IReadOnlyCollection<Guid>? companyIds = null, CancellationToken cancellationToken = default)
    {
        var companies = await CompaniesAsync(consultationId, cancellationToken);
        var chosen = companies.Where(c => companyIds is null || companyIds.Contains(c.CompanyId)).Select(c => c.CompanyId).ToList();
        if (chosen.Count == 0)
        {
            return [];
        }
        var downloaders = await db.DceDownloads.AsNoTracking()
            .Where(d => d.ConsultationId == consultationId && d.UserId != null && d.CompanyId != null && chosen.Contains(d.CompanyId.Value))
            .Select(d => d.UserId!.Value).Distinct().ToListAsync(cancellationToken);
        var depositors = await db.Deposits.AsNoTracking()
            .Where(d => d.ConsultationId == consultationId && d.Status != DepositStatus.Draft && chosen.Contains(d.CompanyId))
            .Select(d => d.CreatedByUserId).Distinct().ToListAsync(cancellationToken);
        var involved = downloaders.Union(depositors).ToList();
        var users = await db.Users.AsNoTracking()
            .Where(u => u.CompanyId != null && chosen.Contains(u.CompanyId.Value) && u.Email != null && (involved.Contains(u.Id) || u.IsCompanyAdmin))
            .Select(u => new { u.Id, u.Email, u.FullName, CompanyId = u.CompanyId!.Value, Involved = involved.Contains(u.Id) })
            .ToListAsync(cancellationToken);
        var recipients = new List<AudienceRecipient>();
        foreach (var company in chosen)
        {
            var atCompany = users.Where(u => u.CompanyId == company).ToList();
            var people = atCompany.Any(u => u.Involved) ? atCompany.Where(u => u.Involved) : atCompany;
            recipients.AddRange(people.Select(u => new AudienceRecipient(company, u.Id, u.Email!, u.FullName)));
        }
        return [.. recipients.DistinctBy(r => r.Email.ToUpperInvariant())];
    }
}

public sealed record AudienceCompany(Guid CompanyId, string Name, bool Downloaded, bool Deposited);

public sealed record AudienceRecipient(Guid CompanyId, Guid UserId, string Email, string FullName);
