using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Organisations;
using Pli.Web.Features.Agents;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;

namespace Pli.Web.Features.Admin;

/// <summary>
/// A platform admin opens a buyer: the organisation and its first administrator agent, who
/// receives a link to choose a password. Both are stored together or not at all.
/// </summary>
public sealed class CreateOrganisationModel(PliDbContext db, AgentInvitations invitations, TimeProvider time, IStringLocalizer<AdminTexts> texts) : PageModel
{
    /// <summary>The first agent can do everything, including inviting the others.</summary>
    public const AgentRole FirstAgentRoles = AgentRole.OrganisationAdmin | AgentRole.ConsultationManager | AgentRole.Opener;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Siret { get; set; }

    [BindProperty]
    public string? FullName { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Organisation organisation;
        PliUser agent;
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            try
            {
                organisation = Organisation.Create(Name ?? "", Siret, time.GetUtcNow().UtcDateTime);
                db.Organisations.Add(organisation);
                await db.SaveChangesAsync();
                agent = await invitations.CreateAsync(organisation.Id, FullName, Email, FirstAgentRoles);
                await transaction.CommitAsync();
            }
            catch (DomainException e)
            {
                await transaction.RollbackAsync();
                db.ChangeTracker.Clear();
                ModelState.AddModelError(e.Field ?? string.Empty, DomainMessages.For(e));
                return Page();
            }
        }
        await invitations.SendActivationAsync(agent, organisation.Name);
        TempData["Notice"] = texts["OrganisationCreated", organisation.Name, agent.Email!].Value;
        return Redirect("/admin");
    }
}
