using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Features.Deposits;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Committee;

/// <summary>An agent of the organisation who may sit on a committee, and whether they made their opener key.</summary>
public sealed record CommitteeCandidate(Guid UserId, string FullName, string Email, bool HasKey);

/// <summary>One named opener of a consultation and when they presented their share (null: not yet).</summary>
public sealed record CommitteeMemberStatus(Guid UserId, string FullName, DateTime? PresentedUtc);

/// <summary>Where a committee stands: k, the openers, whether the key is sealed (published) and unlocked.</summary>
public sealed record CommitteeStatus(int Threshold, IReadOnlyList<CommitteeMemberStatus> Members, bool Sealed, DateTime? UnlockedUtc)
{
    public int Presented => UnlockedUtc is null ? Members.Count(m => m.PresentedUtc is not null) : Threshold;
}

/// <summary>What presenting a share did: still waiting for others, or the key is unlocked.</summary>
public sealed record PresentOutcome(int Presented, int Threshold, bool Unlocked);

/// <summary>
/// The committee opening (docs/committee-opening.md): opener keys, the committee of a draft, the sealing
/// of the consultation key at publication and the presentation of shares after the deadline.
/// </summary>
public sealed class CommitteeService(PliDbContext db, OpenerKeys openerKeys, CommitteeKeys committeeKeys, ConsultationKeyStore consultationKeys, AuditTrail audit, TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public Task<OpenerKey?> KeyOfAsync(Guid userId, CancellationToken cancellationToken) =>
        db.OpenerKeys.AsNoTracking().FirstOrDefaultAsync(k => k.UserId == userId, cancellationToken);

    /// <summary>The opener key of the signed-in agent, made once under a passphrase of 12 characters or more, typed twice.</summary>
    public async Task CreateKeyAsync(ClaimsPrincipal user, string? passphrase, string? confirmation, CancellationToken cancellationToken)
    {
        var userId = user.UserId() ?? throw new InvalidOperationException("Signed-in agent expected.");
        if (await db.OpenerKeys.AnyAsync(k => k.UserId == userId, cancellationToken))
        {
            throw new DomainException("opener-key.exists", "Votre clé d'ouverture existe déjà : vous pouvez en changer la phrase de passe.");
        }
        var checkedPassphrase = RequireNewPassphrase(passphrase, confirmation, "Passphrase");
        // RSA-3072 generation and PBKDF2 take a second or so: off the request thread.
        var pair = await Task.Run(() => openerKeys.Generate(checkedPassphrase), cancellationToken);
        db.OpenerKeys.Add(new OpenerKey { UserId = userId, PublicKeyDer = pair.PublicKeyDer, EncryptedPrivateKey = pair.EncryptedPrivateKey, CreatedUtc = Now });
        audit.Record("committee.opener-key-created", user, target: $"user:{userId}");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Re-encrypts the opener's private key under a new passphrase; the current one is required.</summary>
    public async Task ChangePassphraseAsync(ClaimsPrincipal user, string? current, string? passphrase, string? confirmation, CancellationToken cancellationToken)
    {
        var userId = user.UserId() ?? throw new InvalidOperationException("Signed-in agent expected.");
        var key = await db.OpenerKeys.FirstOrDefaultAsync(k => k.UserId == userId, cancellationToken)
            ?? throw new DomainException("opener-key.missing", "Vous n'avez pas encore de clé d'ouverture.");
        var checkedPassphrase = RequireNewPassphrase(passphrase, confirmation, "NewPassphrase");
        try
        {
            key.EncryptedPrivateKey = await Task.Run(() => openerKeys.ChangePassphrase(key.EncryptedPrivateKey, current ?? "", checkedPassphrase), cancellationToken);
        }
        catch (WrongPassphraseException)
        {
            throw new DomainException("opener-key.wrong-passphrase", "La phrase de passe actuelle n'est pas la bonne.", "CurrentPassphrase");
        }
        key.PassphraseChangedUtc = Now;
        audit.Record("committee.opener-key-passphrase-changed", user, target: $"user:{userId}");
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string RequireNewPassphrase(string? passphrase, string? confirmation, string field)
    {
        var value = passphrase ?? "";
        if (value.Length < OpenerKeys.MinPassphraseLength)
        {
            throw new DomainException("opener-key.passphrase-too-short", $"La phrase de passe doit compter au moins {OpenerKeys.MinPassphraseLength} caractères.", field, OpenerKeys.MinPassphraseLength);
        }
        if (value.Length > 1000)
        {
            throw new DomainException("opener-key.passphrase-too-long", "La phrase de passe dépasse 1 000 caractères.", field);
        }
        if (!string.Equals(value, confirmation, StringComparison.Ordinal))
        {
            throw new DomainException("opener-key.passphrase-mismatch", "Les deux phrases de passe saisies ne sont pas identiques.", "Confirmation");
        }
        return value;
    }

    /// <summary>The organisation's agents who hold the Opener role, by name.</summary>
    public async Task<IReadOnlyList<CommitteeCandidate>> CandidatesAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        // A handful of agents per organisation: the role flags are filtered here rather than in SQL.
        var agents = await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId)
            .Select(u => new { u.Id, u.FullName, u.Email, u.AgentRoles }).ToListAsync(cancellationToken);
        var ids = agents.Select(a => a.Id).ToList();
        var withKey = await db.OpenerKeys.AsNoTracking().Where(k => ids.Contains(k.UserId)).Select(k => k.UserId).ToListAsync(cancellationToken);
        return [.. agents.Where(a => a.AgentRoles.HasFlag(AgentRole.Opener))
            .OrderBy(a => a.FullName, StringComparer.CurrentCulture)
            .Select(a => new CommitteeCandidate(a.Id, a.FullName, a.Email ?? "", withKey.Contains(a.Id)))];
    }

    /// <summary>Loads the committee of a tracked consultation (needed before it changes or is published).</summary>
    public Task LoadCommitteeAsync(Consultation consultation, CancellationToken cancellationToken) =>
        db.Entry(consultation).Collection(c => c.Committee).LoadAsync(cancellationToken);

    /// <summary>Names the committee of a draft among the organisation's openers.</summary>
    public async Task SetCommitteeAsync(Consultation consultation, ClaimsPrincipal user, int threshold, IReadOnlyCollection<Guid> openerUserIds, CancellationToken cancellationToken)
    {
        await LoadCommitteeAsync(consultation, cancellationToken);
        var candidates = (await CandidatesAsync(consultation.OrganisationId, cancellationToken)).Select(c => c.UserId).ToHashSet();
        if (openerUserIds.Any(id => !candidates.Contains(id)))
        {
            throw new DomainException("committee.not-an-opener", "Seuls les agents de votre organisation ayant le rôle d'ouvreur peuvent être nommés.", "OpenerIds");
        }
        consultation.RequireCommittee(threshold, openerUserIds);
        audit.Record("committee.named", user, consultation.Id, detail: $"k={threshold} n={openerUserIds.Count} openers={string.Join(',', openerUserIds)}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task ClearCommitteeAsync(Consultation consultation, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await LoadCommitteeAsync(consultation, cancellationToken);
        consultation.ClearCommittee();
        audit.Record("committee.cleared", user, consultation.Id);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Publishes <paramref name="consultation"/> (tracked) with its key pair; with a committee, first checks that every named
    /// opener still is one and has an opener key, then makes the consultation key pair under a random
    /// committee secret and one encrypted share per opener, added to the context for the caller's save.
    /// </summary>
    public async Task PublishAsync(Consultation consultation, ClaimsPrincipal user, DateTime nowUtc, CancellationToken cancellationToken)
    {
        await LoadCommitteeAsync(consultation, cancellationToken);
        if (!consultation.HasCommittee)
        {
            consultation.Publish(nowUtc);
            await consultationKeys.AddAtPublicationAsync(consultation.Id, cancellationToken);
            return;
        }
        var openerIds = consultation.Committee.Select(o => o.UserId).ToList();
        var candidates = (await CandidatesAsync(consultation.OrganisationId, cancellationToken)).ToDictionary(c => c.UserId);
        var members = await db.Users.AsNoTracking().Where(u => openerIds.Contains(u.Id)).Select(u => new { u.Id, u.FullName }).ToListAsync(cancellationToken);
        var notOpeners = members.Where(m => !candidates.ContainsKey(m.Id)).Select(m => m.FullName).ToList();
        if (notOpeners.Count > 0)
        {
            throw new DomainException("committee.member-not-opener", $"Ces membres du comité n'ont plus le rôle d'ouvreur : {string.Join(", ", notOpeners)}.", null, string.Join(", ", notOpeners));
        }
        var withoutKey = openerIds.Where(id => !candidates[id].HasKey).Select(id => candidates[id].FullName).ToList();
        if (withoutKey.Count > 0)
        {
            throw new DomainException("committee.opener-without-key", $"Ces ouvreurs du comité n'ont pas encore créé leur clé d'ouverture : {string.Join(", ", withoutKey)}.", null, string.Join(", ", withoutKey));
        }
        consultation.Publish(nowUtc);
        if (await db.ConsultationKeys.AnyAsync(k => k.ConsultationId == consultation.Id, cancellationToken))
        {
            throw new InvalidOperationException("A committee consultation must not have a key pair before its publication.");
        }
        var publicKeys = await db.OpenerKeys.AsNoTracking().Where(k => openerIds.Contains(k.UserId)).ToDictionaryAsync(k => k.UserId, k => k.PublicKeyDer, cancellationToken);
        var threshold = consultation.CommitteeThreshold!.Value;
        var sealing = await Task.Run(() => committeeKeys.Generate(consultation.Id, [.. openerIds.Select(id => publicKeys[id])], threshold), cancellationToken);
        db.ConsultationKeys.Add(new ConsultationKeyRecord
        {
            ConsultationId = consultation.Id,
            KeyId = sealing.KeyPair.KeyId,
            PublicKeyDer = sealing.KeyPair.PublicKeyDer,
            EncryptedPrivateKey = sealing.KeyPair.EncryptedPrivateKey,
            CreatedUtc = nowUtc,
            CommitteeThreshold = threshold,
        });
        for (var i = 0; i < openerIds.Count; i++)
        {
            db.CommitteeShares.Add(new CommitteeShare { ConsultationId = consultation.Id, OpenerUserId = openerIds[i], EncryptedShare = sealing.EncryptedShares[i] });
        }
        audit.Record("committee.key-sealed", user, consultation.Id, $"key:{sealing.KeyPair.KeyId}", $"k={threshold} n={openerIds.Count}");
    }

    /// <summary>The committee of a consultation of any status; null when it has none.</summary>
    public async Task<CommitteeStatus?> StatusAsync(Guid consultationId, CancellationToken cancellationToken)
    {
        var threshold = await db.Consultations.Where(c => c.Id == consultationId).Select(c => c.CommitteeThreshold).FirstOrDefaultAsync(cancellationToken);
        if (threshold is null)
        {
            return null;
        }
        var openerIds = await db.Set<CommitteeOpener>().Where(o => o.ConsultationId == consultationId).Select(o => o.UserId).ToListAsync(cancellationToken);
        var names = await db.Users.AsNoTracking().Where(u => openerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FullName, cancellationToken);
        var shares = await db.CommitteeShares.AsNoTracking().Where(s => s.ConsultationId == consultationId).ToDictionaryAsync(s => s.OpenerUserId, s => s.PresentedUtc, cancellationToken);
        var record = await db.ConsultationKeys.AsNoTracking().Where(k => k.ConsultationId == consultationId)
            .Select(k => new { k.CommitteeThreshold, k.CommitteeUnlockedUtc }).FirstOrDefaultAsync(cancellationToken);
        var members = openerIds.Select(id => new CommitteeMemberStatus(id, names.GetValueOrDefault(id, "?"), shares.GetValueOrDefault(id)))
            .OrderBy(m => m.FullName, StringComparer.CurrentCulture).ToList();
        return new CommitteeStatus(threshold.Value, members, record?.CommitteeThreshold is not null, record?.CommitteeUnlockedUtc);
    }

    /// <summary>Whether the user holds a share of this consultation's sealed committee key.</summary>
    public Task<bool> HoldsShareAsync(Guid consultationId, Guid userId, CancellationToken cancellationToken) =>
        db.CommitteeShares.AnyAsync(s => s.ConsultationId == consultationId && s.OpenerUserId == userId, cancellationToken);

    /// <summary>
    /// A named opener presents their share after the deadline by typing their passphrase. The share is
    /// decrypted, checked to be of this consultation, and kept (encrypted under a key derived from the
    /// master secret) until k are there; the k-th rebuilds the private key, checks it against the key id,
    /// re-encrypts it under the master secret and deletes the presented shares.
    /// </summary>
    public async Task<PresentOutcome> PresentShareAsync(Consultation consultation, ClaimsPrincipal user, string? passphrase, CancellationToken cancellationToken)
    {
        var userId = user.UserId() ?? throw new InvalidOperationException("Signed-in agent expected.");
        if (Now <= consultation.DeadlineUtc)
        {
            throw new DomainException("committee.too-early",
                $"Les parts ne peuvent être présentées qu'après la date limite de remise des plis ({ParisTime.Format(consultation.DeadlineUtc, ParisTime.French, seconds: true)}).",
                null, ParisTime.ToParis(consultation.DeadlineUtc));
        }
        var share = await db.CommitteeShares.FirstOrDefaultAsync(s => s.ConsultationId == consultation.Id && s.OpenerUserId == userId, cancellationToken)
            ?? throw new InvalidOperationException("Only a named opener of a sealed committee presents a share.");
        var record = await db.ConsultationKeys.FirstAsync(k => k.ConsultationId == consultation.Id, cancellationToken);
        if (!record.IsCommitteeLocked)
        {
            throw new DomainException("committee.already-unlocked", "La clé de cette consultation est déjà déverrouillée : les plis peuvent être ouverts.");
        }
        if (share.PresentedUtc is not null)
        {
            throw new DomainException("committee.already-presented", "Vous avez déjà présenté votre part pour cette consultation.");
        }
        var key = await db.OpenerKeys.AsNoTracking().FirstAsync(k => k.UserId == userId, cancellationToken);
        var mine = await DecryptShareAsync(consultation.Id, key, passphrase ?? "", share.EncryptedShare, cancellationToken);
        try
        {
            var threshold = record.CommitteeThreshold!.Value;
            var others = await db.CommitteeShares.Where(s => s.ConsultationId == consultation.Id && s.OpenerUserId != userId && s.PresentedShare != null).ToListAsync(cancellationToken);
            var now = Now;
            share.PresentedUtc = now;
            audit.Record("committee.share-presented", user, consultation.Id, $"user:{userId}", $"{others.Count + 1}/{threshold}");
            if (others.Count + 1 < threshold)
            {
                share.PresentedShare = committeeKeys.ProtectPresentedShare(consultation.Id, userId, mine);
                await SaveOnceAsync(cancellationToken);
                // Another opener may have presented at the same moment without seeing this share: whoever
                // counts after both saves completes the committee.
                var unlocked = await TryUnlockStoredAsync(consultation.Id, user, cancellationToken);
                return new PresentOutcome(unlocked ? threshold : others.Count + 1, threshold, unlocked);
            }
            // The k-th share: the key is rebuilt before anything is saved, so a wrong share stores nothing.
            var shares = others.Select(o => committeeKeys.UnprotectPresentedShare(consultation.Id, o.OpenerUserId, o.PresentedShare!)).Append(mine).ToList();
            try
            {
                await UnlockAsync(record, [share, .. others], shares, user, now, cancellationToken);
            }
            catch (DomainException e) when (e.Code == "committee.wrong-share")
            {
                // Nothing of the presentation is kept; the failed attempt is, for whoever investigates.
                db.ChangeTracker.Clear();
                audit.Record("committee.wrong-share", user, consultation.Id, $"user:{userId}", $"{others.Count + 1}/{threshold}");
                await db.SaveChangesAsync(cancellationToken);
                throw;
            }
            finally
            {
                shares.ForEach(s => CryptographicOperations.ZeroMemory(s));
            }
            return new PresentOutcome(threshold, threshold, true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mine);
        }
    }

    private async Task<byte[]> DecryptShareAsync(Guid consultationId, OpenerKey key, string passphrase, byte[] encryptedShare, CancellationToken cancellationToken)
    {
        byte[] payload;
        try
        {
            payload = await Task.Run(() => openerKeys.Decrypt(key.EncryptedPrivateKey, passphrase, encryptedShare), cancellationToken);
        }
        catch (WrongPassphraseException)
        {
            throw new DomainException("committee.wrong-passphrase", "Cette phrase de passe n'ouvre pas votre clé d'ouverture.", "Passphrase");
        }
        catch (CryptographicException)
        {
            throw WrongShare();
        }
        try
        {
            return CommitteeKeys.ShareOf(consultationId, payload);
        }
        catch (WrongCommitteeShareException)
        {
            throw WrongShare();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }

    private static DomainException WrongShare() =>
        new("committee.wrong-share", "Les parts présentées ne reconstituent pas la clé de cette consultation : une part a été altérée. Rien n'a été enregistré ; prévenez l'administrateur de la plateforme.");

    private async Task UnlockAsync(ConsultationKeyRecord record, IReadOnlyList<CommitteeShare> presented, IReadOnlyList<byte[]> shares, ClaimsPrincipal user, DateTime now, CancellationToken cancellationToken)
    {
        byte[] reencrypted;
        try
        {
            reencrypted = await Task.Run(() => committeeKeys.Rebuild(record.EncryptedPrivateKey, shares, record.KeyId), cancellationToken);
        }
        catch (WrongCommitteeShareException)
        {
            throw WrongShare();
        }
        record.EncryptedPrivateKey = reencrypted;
        record.CommitteeUnlockedUtc = now;
        record.CommitteeUnlockedBy = string.Join(',', presented.Select(p => p.OpenerUserId));
        foreach (var share in presented)
        {
            share.PresentedShare = null;
        }
        audit.Record("committee.unlocked", user, record.ConsultationId, $"key:{record.KeyId}", $"openers={record.CommitteeUnlockedBy}");
        await SaveOnceAsync(cancellationToken);
    }

    /// <summary>Completes the committee from the shares stored, when k are there and the key is still locked.</summary>
    private async Task<bool> TryUnlockStoredAsync(Guid consultationId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var record = await db.ConsultationKeys.FirstAsync(k => k.ConsultationId == consultationId, cancellationToken);
        var presented = await db.CommitteeShares.Where(s => s.ConsultationId == consultationId && s.PresentedShare != null).ToListAsync(cancellationToken);
        if (!record.IsCommitteeLocked || presented.Count < record.CommitteeThreshold)
        {
            return !record.IsCommitteeLocked;
        }
        var shares = presented.Select(p => committeeKeys.UnprotectPresentedShare(consultationId, p.OpenerUserId, p.PresentedShare!)).ToList();
        try
        {
            await UnlockAsync(record, presented, shares, user, Now, cancellationToken);
            return true;
        }
        catch (DomainException)
        {
            return false;
        }
        finally
        {
            shares.ForEach(s => CryptographicOperations.ZeroMemory(s));
        }
    }

    /// <summary>A concurrent presentation of the same share, or a concurrent unlock, loses here and is reported as already done.</summary>
    private async Task SaveOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException("committee.already-presented", "Vous avez déjà présenté votre part pour cette consultation.");
        }
    }
}
