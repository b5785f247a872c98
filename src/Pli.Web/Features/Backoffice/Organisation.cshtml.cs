using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Organisations;
using Pli.Web.Features.Agents;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Features.Account;

namespace Pli.Web.Features.Backoffice;

/// <summary>An organisation admin manages the services and the agents of its own organisation only.</summary>
[Authorize(Policy = Policies.OrganisationAdmin)]
public sealed class OrganisationModel(
    PliDbContext db,
    PliUserManager users,
    AgentInvitations invitations,
    TimeProvider time,
    Pli.Web.Infrastructure.Audit.AuditTrail audit,
    IStringLocalizer<BackofficeTexts> texts) : PageModel
{
    public static readonly AgentRole[] AllRoles = [AgentRole.ConsultationManager, AgentRole.Opener, AgentRole.OrganisationAdmin];

    [BindProperty]
    public string? ServiceName { get; set; }

    [BindProperty]
    public string? InviteFullName { get; set; }

    [BindProperty]
    public string? InviteEmail { get; set; }

    [BindProperty]
    public AgentRole[] InviteRoles { get; set; } = [AgentRole.ConsultationManager];

    public Organisation OrganisationEntity { get; private set; } = null!;
    public IReadOnlyList<AgentRow> Agents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAddServiceAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        Service service;
        try
        {
            service = OrganisationEntity.AddService(ServiceName!);
            // The organisation was read without tracking; the new service is added on its own.
            db.Services.Add(service);
            await db.SaveChangesAsync();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(nameof(ServiceName), DomainMessages.For(e));
            return Page();
        }
        return Done(texts["ServiceAdded", service.Name]);
    }

    public async Task<IActionResult> OnPostInviteAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        var roles = Combine(InviteRoles);
        if (roles == AgentRole.None)
        {
            ModelState.AddModelError(nameof(InviteRoles), texts["RolesRequired"]);
            return Page();
        }
        PliUser agent;
        try
        {
            agent = await invitations.CreateAsync(OrganisationEntity.Id, InviteFullName, InviteEmail, roles);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field == "FullName" ? nameof(InviteFullName) : nameof(InviteEmail), DomainMessages.For(e));
            return Page();
        }
        await invitations.SendActivationAsync(agent, OrganisationEntity.Name);
        return Done(texts["AgentInvited", agent.Email!]);
    }

    public async Task<IActionResult> OnPostRolesAsync(Guid agentId, AgentRole[] roles)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        var agent = await FindAgentAsync(agentId);
        if (agent is null)
        {
            return NotFound();
        }
        var combined = Combine(roles);
        if (RefuseSelf(agent) || (combined == AgentRole.None && AddError(texts["RolesRequired"])))
        {
            return Page();
        }
        var before = agent.AgentRoles;
        agent.AgentRoles = combined;
        audit.Record("agent.roles-changed", User, target: $"user:{agent.Id}", detail: $"{before} -> {combined}");
        await users.UpdateAsync(agent);
        // The agent's open sessions are re-issued with the new roles at the next stamp check.
        await users.UpdateSecurityStampAsync(agent);
        return Done(texts["RolesChanged", agent.FullName]);
    }

    public async Task<IActionResult> OnPostDeactivateAsync(Guid agentId)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        var agent = await FindAgentAsync(agentId);
        if (agent is null)
        {
            return NotFound();
        }
        if (RefuseSelf(agent))
        {
            return Page();
        }
        await users.DeactivateAsync(agent);
        return Done(texts["AgentDeactivated", agent.FullName]);
    }

    public static string RoleLabelKey(AgentRole role) => "Role_" + role;

    private IActionResult Done(string notice)
    {
        TempData["Notice"] = notice;
        return Redirect("/acheteur/organisation");
    }

    private bool RefuseSelf(PliUser agent)
    {
        if (agent.Id != User.UserId())
        {
            return false;
        }
        return AddError(texts["CannotChangeSelf"]);
    }

    private bool AddError(string message)
    {
        ModelState.AddModelError(string.Empty, message);
        return true;
    }

    private static AgentRole Combine(IEnumerable<AgentRole>? roles) =>
        (roles ?? []).Where(r => AllRoles.Contains(r)).Aggregate(AgentRole.None, (all, r) => all | r);

    private async Task<PliUser?> FindAgentAsync(Guid agentId)
    {
        var organisationId = OrganisationEntity.Id;
        return await db.Users.FirstOrDefaultAsync(u => u.Id == agentId && u.OrganisationId == organisationId);
    }

    private async Task<bool> LoadAsync()
    {
        var organisationId = User.OrganisationId();
        var organisation = organisationId is null ? null
            : await db.Organisations.AsNoTracking().Include(o => o.Services).FirstOrDefaultAsync(o => o.Id == organisationId);
        if (organisation is null)
        {
            return false;
        }
        OrganisationEntity = organisation;
        var now = time.GetUtcNow();
        var agents = await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId).OrderBy(u => u.FullName).ToListAsync();
        Agents = [.. agents.Select(a => new AgentRow(a.Id, a.FullName, a.Email ?? "", a.AgentRoles,
            a.LockoutEnd is { } end && end > now, a.PasswordHash is null, a.Id == User.UserId()))];
        return true;
    }

    public sealed record AgentRow(Guid Id, string FullName, string Email, AgentRole Roles, bool Deactivated, bool Pending, bool IsMe);
}
