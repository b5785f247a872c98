using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Mail;
using Pli.Domain.Companies;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Account;

public enum RegistrationOutcome
{
    /// <summary>Company and first user created; the confirmation mail is sent.</summary>
    Created,

    /// <summary>The address already has an account: nothing stored, its owner is told by mail.</summary>
    EmailTaken,

    /// <summary>The company (SIRET, or country and identifier) is already registered: nothing stored.</summary>
    CompanyTaken,

    /// <summary>Identity refused the user (password rules): nothing stored.</summary>
    Refused,
}

/// <summary>
/// Registers a company and its first user, who becomes its administrator, in one transaction: a
/// refusal at any step leaves neither a company without user nor a user without company.
/// </summary>
public sealed class CompanyRegistration(PliDbContext db, UserManager<PliUser> users, AccountMails mails, TimeProvider time, ILogger<CompanyRegistration> logger)
{
    public async Task<(RegistrationOutcome Outcome, IReadOnlyList<IdentityError> Errors)> RegisterAsync(
        Company company, string fullName, string email, string password, CancellationToken cancellationToken = default)
    {
        if (await IsRegisteredAsync(company, cancellationToken))
        {
            return (RegistrationOutcome.CompanyTaken, []);
        }
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            // Hash anyway, so that the answer takes as long as a real registration.
            users.PasswordHasher.HashPassword(existing, password);
            await mails.SendRegistrationAttemptAsync(existing, cancellationToken);
            return (RegistrationOutcome.EmailTaken, []);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var user = new PliUser
        {
            UserName = email,
            Email = email,
            FullName = fullName,
            CompanyId = company.Id,
            IsCompanyAdmin = true,
            CreatedUtc = now,
            TermsAcceptedUtc = now,
            // The person registering reads this page: their mails start in its language.
            Language = RecipientLanguage.NameOf(System.Globalization.CultureInfo.CurrentUICulture),
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            IdentityResult result;
            try
            {
                db.Companies.Add(company);
                await db.SaveChangesAsync(cancellationToken);
                result = await users.CreateAsync(user, password);
            }
            catch (DbUpdateException e)
            {
                // Two registrations of the same company at the same instant: the unique index decides.
                logger.LogInformation(e, "Company registration refused by the database");
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return (RegistrationOutcome.CompanyTaken, []);
            }
            if (!result.Succeeded)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName))
                    && await users.FindByEmailAsync(email) is { } owner)
                {
                    await mails.SendRegistrationAttemptAsync(owner, cancellationToken);
                    return (RegistrationOutcome.EmailTaken, []);
                }
                return (RegistrationOutcome.Refused, [.. result.Errors]);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        await mails.SendConfirmationAsync(user, cancellationToken);
        return (RegistrationOutcome.Created, []);
    }

    private Task<bool> IsRegisteredAsync(Company company, CancellationToken cancellationToken) =>
        company.Siret is { } siret
            ? db.Companies.AnyAsync(c => c.Siret == siret, cancellationToken)
            : db.Companies.AnyAsync(c => c.Country == company.Country && c.NationalIdentifier == company.NationalIdentifier, cancellationToken);
}
