using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Pli.Domain.Consultations;
using Pli.Domain.Dce;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Dce;

/// <summary>
/// Writes the register of downloads (retraits): one line per download started, named for a
/// company user (whose company then follows the consultation), without identity for an
/// anonymous person, none for the buyer's own agents.
/// </summary>
public sealed class DceRegister(PliDbContext db, TimeProvider time, IMemoryCache recentAnonymous, AuditTrail audit, ILogger<DceRegister> logger)
{
    /// <summary>
    /// A range request for a file the same person took less than this long ago continues that
    /// download (a resumed transfer, a download manager fetching parts): it adds no line.
    /// </summary>
    public static readonly TimeSpan RangeContinuationWindow = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Records that <paramref name="who"/> starts downloading <paramref name="files"/> (<see cref="DceDownload.WholeDce"/>
    /// or the relative paths, one per line). <paramref name="isRangeRequest"/>: the request asks for part of a file.
    /// </summary>
    public async Task RecordAsync(Consultation consultation, DceDownloader who, string files, bool isRangeRequest, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        switch (who.Kind)
        {
            case DceDownloaderKind.Company:
                await RecordIdentifiedAsync(consultation, who.UserId!.Value, who.CompanyId!.Value, files, isRangeRequest, now, cancellationToken);
                break;
            case DceDownloaderKind.Anonymous:
                var key = ("dce-anonymous", who.AnonymousSession, consultation.Id, files);
                if (isRangeRequest && recentAnonymous.TryGetValue(key, out _))
                {
                    return;
                }
                db.DceDownloads.Add(DceDownload.Anonymous(consultation.Id, files, now));
                // Anonymous stays anonymous in the audit trail too: the act, never who.
                audit.Record("dce.downloaded-anonymously", null, null, null, consultation.Id, WhatOf(files));
                await db.SaveChangesAsync(cancellationToken);
                // In memory only: the line itself names nobody, so the link between a confirmation and
                // its downloads is kept nowhere durable. On several servers a continuation that lands
                // on another one adds a line: an over-count, never a lost download.
                recentAnonymous.Set(key, true, RangeContinuationWindow);
                break;
            case DceDownloaderKind.BuyerAgent:
            case DceDownloaderKind.None:
            default:
                break;
        }
    }

    private async Task RecordIdentifiedAsync(Consultation consultation, Guid userId, Guid companyId, string files, bool isRangeRequest, DateTime now, CancellationToken cancellationToken)
    {
        if (isRangeRequest)
        {
            var since = now - RangeContinuationWindow;
            if (await db.DceDownloads.AnyAsync(d => d.ConsultationId == consultation.Id && d.UserId == userId && d.Files == files && d.AtUtc >= since, cancellationToken))
            {
                return;
            }
        }
        db.DceDownloads.Add(DceDownload.Identified(consultation.Id, userId, companyId, files, now));
        audit.Record("dce.downloaded", userId, companyId, null, consultation.Id, WhatOf(files));
        ConsultationFollower? follower = null;
        if (!await db.ConsultationFollowers.AnyAsync(f => f.ConsultationId == consultation.Id && f.CompanyId == companyId, cancellationToken))
        {
            follower = new ConsultationFollower(consultation.Id, companyId, now);
            db.ConsultationFollowers.Add(follower);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (follower is not null)
        {
            // Two colleagues' first downloads at the same instant: the other request made the company
            // a follower first. The download line must still be written.
            logger.LogInformation("Company {CompanyId} already follows consultation {ConsultationId}; recording the download only.", companyId, consultation.Id);
            db.Entry(follower).State = EntityState.Detached;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static string WhatOf(string files) => files == DceDownload.WholeDce ? "dce" : $"dce-files:{files.Split('\n').Length}";
}

/// <summary>Reads the register of downloads of one consultation, newest first, with the names of the companies and users.</summary>
public static class DceRegisterLines
{
    public static async Task<IReadOnlyList<RegisterLine>> ReadAsync(PliDbContext db, Guid consultationId, CancellationToken cancellationToken = default)
    {
        var downloads = await db.DceDownloads.AsNoTracking().Where(d => d.ConsultationId == consultationId).ToListAsync(cancellationToken);
        var userIds = downloads.Where(d => d.UserId is not null).Select(d => d.UserId!.Value).Distinct().ToList();
        var companyIds = downloads.Where(d => d.CompanyId is not null).Select(d => d.CompanyId!.Value).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.FullName, u.Email }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var companies = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, c.Siret, c.Country, c.NationalIdentifier }).ToDictionaryAsync(c => c.Id, cancellationToken);

        // Every line is loaded (for the counts and the exports): a register holds hundreds of lines, not millions.
        return [.. downloads.OrderByDescending(d => d.AtUtc).ThenBy(d => d.Id).Select(d =>
        {
            var user = d.UserId is { } u && users.TryGetValue(u, out var found) ? found : null;
            var company = d.CompanyId is { } c && companies.TryGetValue(c, out var co) ? co : null;
            return new RegisterLine(
                d.AtUtc,
                d.IsAnonymous,
                d.CompanyId,
                company?.Name,
                company is null ? null : company.Siret ?? $"{company.Country} {company.NationalIdentifier}",
                user?.FullName,
                user?.Email,
                d.Files == DceDownload.WholeDce,
                d.Files == DceDownload.WholeDce ? [] : d.Files.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        })];
    }
}
