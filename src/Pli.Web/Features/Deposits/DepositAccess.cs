using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Deposits;

/// <summary>A deposit belongs to its company: for a user of any other company it does not exist.</summary>
public static class DepositAccess
{
    public static async Task<Guid?> CompanyOfAsync(PliDbContext db, Guid userId, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.CompanyId).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The deposit with its files and members, when it belongs to the company of <paramref name="userId"/>; tracked, for a change.</summary>
    public static async Task<Deposit?> FindOwnAsync(PliDbContext db, Guid depositId, Guid userId, CancellationToken cancellationToken)
    {
        if (await CompanyOfAsync(db, userId, cancellationToken) is not { } company)
        {
            return null;
        }
        return await db.Deposits.Include(d => d.Files).Include(d => d.Members)
            .FirstOrDefaultAsync(d => d.Id == depositId && d.CompanyId == company, cancellationToken);
    }

    /// <summary>The user's own deposit with its consultation (and lots) and the user's address for the receipt; null for anyone else.</summary>
    public static async Task<OwnDeposit?> LoadOwnAsync(PliDbContext db, Guid depositId, Guid? userId, CancellationToken cancellationToken)
    {
        if (userId is not { } id || await FindOwnAsync(db, depositId, id, cancellationToken) is not { } deposit)
        {
            return null;
        }
        var consultation = await db.Consultations.AsNoTracking().Include(c => c.Lots).FirstAsync(c => c.Id == deposit.ConsultationId, cancellationToken);
        var email = await db.Users.Where(u => u.Id == id).Select(u => u.Email).FirstAsync(cancellationToken);
        return new OwnDeposit(deposit, consultation, email ?? "");
    }
}

public sealed record OwnDeposit(Deposit Deposit, Consultation Consultation, string UserEmail);
