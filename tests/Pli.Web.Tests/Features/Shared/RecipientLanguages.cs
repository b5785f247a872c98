using Microsoft.EntityFrameworkCore;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Shared;

/// <summary>The language a user chose, set straight in the database: the mails under test read it from there.</summary>
public static class RecipientLanguages
{
    public static Task SetLanguageAsync(this PliApp app, string email, string? language) =>
        app.WithDb(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == email);
            user.Language = language;
            await db.SaveChangesAsync();
        });
}
