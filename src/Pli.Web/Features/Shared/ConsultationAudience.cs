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
/// <remarks>
/// The audience is a set of subqueries the database resolves itself: a consultation may have ten thousand
/// followers, whose ids are neither sent back and forth as parameters nor searched in lists in memory.
/// </remarks>
public sealed class ConsultationAudience(PliDbContext db)
{
    public async Task<IReadOnlyList<AudienceCompany>> CompaniesAsync(Guid consultationId, CancellationToken cancellationToken = default)
    {
        var followers = Followers(consultationId);
        var depositors = DepositorCompanies(consultationId);
        var companies = await db.Companies.AsNoTracking()
            .Where(c => followers.Contains(c.Id) || depositors.Contains(c.Id))
            .Select(c => new AudienceCompany(c.Id, c.Name, followers.Contains(c.Id), depositors.Contains(c.Id)))
            .ToListAsync(cancellationToken);
        return [.. companies.OrderBy(c => c.Name, StringComparer.CurrentCulture)];
    }

    /// <summary>
    /// The people to mail at <paramref name="companyIds"/> (all of the audience when null), one line per
    /// address. Only companies of the audience are kept: a forged company id reaches nobody.
    /// </summary>
    public async Task<IReadOnlyList<AudienceRecipient>> RecipientsAsync(Guid consultationId, IReadOnlyCollection<Guid>? companyIds = null, CancellationToken cancellationToken = default)
    {
        if (companyIds is { Count: 0 })
        {
            return [];
        }
        var followers = Followers(consultationId);
        var depositorCompanies = DepositorCompanies(consultationId);
        var chosen = db.Companies.Where(c => followers.Contains(c.Id) || depositorCompanies.Contains(c.Id)).Select(c => c.Id);
        if (companyIds is not null)
        {
            var asked = companyIds.ToArray();
            chosen = chosen.Where(id => asked.Contains(id));
        }
        var downloaders = db.DceDownloads
            .Where(d => d.ConsultationId == consultationId && d.UserId != null && d.CompanyId != null && chosen.Contains(d.CompanyId.Value))
            .Select(d => d.UserId!.Value);
        var depositors = db.Deposits
            .Where(d => d.ConsultationId == consultationId && d.Status != DepositStatus.Draft && chosen.Contains(d.CompanyId))
            .Select(d => d.CreatedByUserId);
        var users = await (
                from u in db.Users.AsNoTracking()
                join c in db.Companies on u.CompanyId equals c.Id
                where chosen.Contains(c.Id) && u.Email != null
                let involved = downloaders.Contains(u.Id) || depositors.Contains(u.Id)
                where involved || u.IsCompanyAdmin
                select new { u.Id, u.Email, u.FullName, CompanyId = c.Id, CompanyName = c.Name, Involved = involved })
            .ToListAsync(cancellationToken);
        var withInvolved = users.Where(u => u.Involved).Select(u => u.CompanyId).ToHashSet();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return [.. users
            // At a company where someone downloaded or deposited, those people; elsewhere its administrators.
            .Where(u => u.Involved || !withInvolved.Contains(u.CompanyId))
            .OrderBy(u => u.CompanyName, StringComparer.CurrentCulture).ThenBy(u => u.CompanyId).ThenBy(u => u.Email, StringComparer.Ordinal)
            .Where(u => seen.Add(u.Email!))
            .Select(u => new AudienceRecipient(u.CompanyId, u.Id, u.Email!, u.FullName))];
    }

    private IQueryable<Guid> Followers(Guid consultationId) =>
        db.ConsultationFollowers.Where(f => f.ConsultationId == consultationId).Select(f => f.CompanyId);

    private IQueryable<Guid> DepositorCompanies(Guid consultationId) =>
        db.Deposits.Where(d => d.ConsultationId == consultationId && d.Status != DepositStatus.Draft).Select(d => d.CompanyId);
}

public sealed record AudienceCompany(Guid CompanyId, string Name, bool Downloaded, bool Deposited);

public sealed record AudienceRecipient(Guid CompanyId, Guid UserId, string Email, string FullName);
