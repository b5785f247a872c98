using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NpgsqlTypes;
using Pli.Domain.Alerts;
using Pli.Domain.Awards;
using Pli.Domain.Companies;
using Pli.Domain.Consultations;
using Pli.Domain.Dce;
using Pli.Domain.Deposits;
using Pli.Domain.Messaging;
using Pli.Domain.Opening;
using Pli.Domain.Organisations;
using Pli.Domain.Questions;
using Pli.Web.Features.Opening;
using Pli.Web.Features.Committee;
using Pli.Web.Features.Uploads;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Mail;

namespace Pli.Web.Infrastructure.Data;

/// <summary>
/// The one EF Core model of Pli. Each database provider has its own subclass only so that it
/// can carry its own migrations (SQLite and PostgreSQL do not share DDL).
/// </summary>
public abstract class PliDbContext(DbContextOptions options)
    : IdentityDbContext<PliUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring, shared by every instance; each key's secret encrypted under the master secret.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Service> Services => Set<Service>();
    public DbSet<Company> Companies => Set<Company>();
    public DbSet<CompanyInvitation> CompanyInvitations => Set<CompanyInvitation>();
    public DbSet<Consultation> Consultations => Set<Consultation>();
    public DbSet<Lot> Lots => Set<Lot>();
    public DbSet<DceFile> DceFiles => Set<DceFile>();
    public DbSet<ConsultationModification> ConsultationModifications => Set<ConsultationModification>();
    public DbSet<DceDownload> DceDownloads => Set<DceDownload>();
    public DbSet<ConsultationFollower> ConsultationFollowers => Set<ConsultationFollower>();
    public DbSet<ConsultationKeyRecord> ConsultationKeys => Set<ConsultationKeyRecord>();
    public DbSet<Deposit> Deposits => Set<Deposit>();
    public DbSet<DepositFile> DepositFiles => Set<DepositFile>();
    public DbSet<DepositReceipt> DepositReceipts => Set<DepositReceipt>();
    public DbSet<Question> Questions => Set<Question>();
    public DbSet<OutboxMail> OutboxMails => Set<OutboxMail>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();
    public DbSet<SavedSearch> SavedSearches => Set<SavedSearch>();
    public DbSet<MessageThread> MessageThreads => Set<MessageThread>();
    public DbSet<ThreadMessage> ThreadMessages => Set<ThreadMessage>();
    public DbSet<MessageAttachment> MessageAttachments => Set<MessageAttachment>();
    public DbSet<OpeningSession> OpeningSessions => Set<OpeningSession>();
    public DbSet<OpeningAct> OpeningActs => Set<OpeningAct>();
    public DbSet<OpenedFileCheck> OpenedFileChecks => Set<OpenedFileCheck>();
    public DbSet<AwardDecision> AwardDecisions => Set<AwardDecision>();
    public DbSet<EssentialData> EssentialData => Set<EssentialData>();
    public DbSet<OpenerKey> OpenerKeys => Set<OpenerKey>();
    public DbSet<CommitteeShare> CommitteeShares => Set<CommitteeShare>();
    public DbSet<SharedUpload> SharedUploads => Set<SharedUpload>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is stored in UTC; SQLite forgets the Kind, so it is put back on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<PliUser>(u =>
        {
            u.Property(x => x.FullName).HasMaxLength(200);
            u.Property(x => x.Language).HasMaxLength(8);
            u.Property(x => x.AgentRoles).HasConversion<int>();
            u.HasIndex(x => x.CompanyId);
            u.HasIndex(x => x.OrganisationId);
        });

        builder.Entity<Organisation>(o =>
        {
            o.Property(x => x.Name).HasMaxLength(200);
            o.Property(x => x.Siret).HasMaxLength(14);
            o.HasMany(x => x.Services).WithOne().HasForeignKey(s => s.OrganisationId);
            o.Navigation(x => x.Services).HasField("_services").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        builder.Entity<Service>(s => s.Property(x => x.Name).HasMaxLength(200));

        builder.Entity<Company>(c =>
        {
            c.Property(x => x.Name).HasMaxLength(200);
            c.Property(x => x.Siret).HasMaxLength(14);
            c.Property(x => x.Country).HasMaxLength(2);
            c.Property(x => x.NationalIdentifier).HasMaxLength(40);
            c.HasIndex(x => x.Siret).IsUnique();
            c.HasIndex(x => new { x.Country, x.NationalIdentifier }).IsUnique();
            c.ComplexProperty(x => x.Address, a =>
            {
                a.Property(p => p.Street).HasMaxLength(300).HasColumnName("AddressStreet");
                a.Property(p => p.PostalCode).HasMaxLength(20).HasColumnName("AddressPostalCode");
                a.Property(p => p.City).HasMaxLength(100).HasColumnName("AddressCity");
                a.Property(p => p.Country).HasMaxLength(2).HasColumnName("AddressCountry");
            });
        });

        builder.Entity<CompanyInvitation>(i =>
        {
            i.Property(x => x.Email).HasMaxLength(256);
            i.Property(x => x.TokenHash).HasMaxLength(64);
            i.HasIndex(x => x.TokenHash).IsUnique();
        });

        builder.Entity<Consultation>(c =>
        {
            c.Property(x => x.Reference).HasMaxLength(50);
            c.Property(x => x.ReferenceKey).HasMaxLength(50);
            c.Property(x => x.Title).HasMaxLength(300);
            c.Property(x => x.Object).HasMaxLength(4000);
            c.Property(x => x.MainCpv).HasMaxLength(10);
            c.Property(x => x.PlaceOfExecution).HasMaxLength(300);
            // No B-tree index: the place criterion is a "contains" (LIKE '%…%'); PostgreSQL has a trigram index (below).
            c.Property(x => x.PlaceKey).HasMaxLength(300);
            c.Property(x => x.AcceptedFormats).HasMaxLength(500);
            c.Property(x => x.SearchText).HasMaxLength(8000);
            c.Property(x => x.Procedure).HasConversion<string>().HasMaxLength(60);
            c.Property(x => x.Nature).HasConversion<string>().HasMaxLength(20);
            c.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            c.HasIndex(x => new { x.OrganisationId, x.ReferenceKey }).IsUnique();
            c.HasIndex(x => x.ReferenceKey);
            c.HasIndex(x => new { x.Status, x.DeadlineUtc });
            c.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
            c.HasMany(x => x.Lots).WithOne().HasForeignKey(l => l.ConsultationId);
            c.HasMany(x => x.DceFiles).WithOne().HasForeignKey(f => f.ConsultationId);
            c.HasMany(x => x.Modifications).WithOne().HasForeignKey(m => m.ConsultationId);
            c.Navigation(x => x.Lots).HasField("_lots").UsePropertyAccessMode(PropertyAccessMode.Field);
            c.Navigation(x => x.DceFiles).HasField("_dceFiles").UsePropertyAccessMode(PropertyAccessMode.Field);
            c.Navigation(x => x.Modifications).HasField("_modifications").UsePropertyAccessMode(PropertyAccessMode.Field);
            c.Ignore(x => x.AcceptedFormatList);
            c.Ignore(x => x.IsPublished);
            c.Ignore(x => x.IsCancelled);
            c.Ignore(x => x.IsAwarded);
            c.Ignore(x => x.AwardableLots);
            c.Ignore(x => x.HasCommittee);
            c.HasMany(x => x.Committee).WithOne().HasForeignKey(o => o.ConsultationId);
            c.Navigation(x => x.Committee).HasField("_committee").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        builder.Entity<CommitteeOpener>(o =>
        {
            o.HasKey(x => new { x.ConsultationId, x.UserId });
            o.HasOne<PliUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<Lot>(l =>
        {
            l.Property(x => x.Title).HasMaxLength(500);
            l.HasIndex(x => new { x.ConsultationId, x.Number }).IsUnique();
        });
        builder.Entity<DceFile>(f =>
        {
            f.Property(x => x.RelativePath).HasMaxLength(1024);
            f.Property(x => x.Sha256).HasMaxLength(64);
            f.Property(x => x.StorageKey).HasMaxLength(300);
            f.Ignore(x => x.FileName);
            f.Ignore(x => x.Format);
        });
        builder.Entity<ConsultationModification>(m =>
        {
            m.Property(x => x.Kind).HasMaxLength(50);
            m.Property(x => x.Description).HasMaxLength(4000);
            m.Property(x => x.OldValue).HasMaxLength(1024);
            m.Property(x => x.NewValue).HasMaxLength(1024);
        });
        builder.Entity<DceDownload>(d =>
        {
            d.HasIndex(x => new { x.ConsultationId, x.AtUtc });
            d.Ignore(x => x.IsAnonymous);
        });
        builder.Entity<ConsultationFollower>(f => f.HasKey(x => new { x.ConsultationId, x.CompanyId }));

        builder.Entity<ConsultationKeyRecord>(k =>
        {
            k.HasKey(x => x.ConsultationId);
            k.Property(x => x.KeyId).HasMaxLength(64);
            k.HasOne<Consultation>().WithOne().HasForeignKey<ConsultationKeyRecord>(x => x.ConsultationId).OnDelete(DeleteBehavior.Restrict);
            k.Property(x => x.CommitteeUnlockedBy).HasMaxLength(400);
            // Two openers completing the committee at once: one unlocks, the other's save fails and reads it.
            k.Property(x => x.CommitteeUnlockedUtc).IsConcurrencyToken();
            k.Ignore(x => x.IsCommitteeProtected);
            k.Ignore(x => x.IsCommitteeLocked);
        });
        builder.Entity<OpenerKey>(k =>
        {
            k.HasKey(x => x.UserId);
            k.HasOne<PliUser>().WithOne().HasForeignKey<OpenerKey>(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
            k.Ignore(x => x.Fingerprint);
        });
        builder.Entity<CommitteeShare>(s =>
        {
            s.HasKey(x => new { x.ConsultationId, x.OpenerUserId });
            // The same opener presenting twice at once: the second save fails instead of counting twice.
            s.Property(x => x.PresentedUtc).IsConcurrencyToken();
            s.HasOne<Consultation>().WithMany().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Restrict);
            s.HasOne<PliUser>().WithMany().HasForeignKey(x => x.OpenerUserId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<Deposit>(d =>
        {
            d.Property(x => x.Number).HasMaxLength(20);
            d.HasIndex(x => x.Number).IsUnique();
            d.Property(x => x.LotNumbers).HasMaxLength(4000);
            d.Property(x => x.Mode).HasConversion<string>().HasMaxLength(30);
            d.Property(x => x.CandidatureType).HasConversion<string>().HasMaxLength(20);
            d.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            // Sealing twice at the same moment must not give two receipts: the second save fails.
            d.Property<Guid>("Version").IsConcurrencyToken();
            d.HasIndex(x => new { x.ConsultationId, x.CompanyId, x.Status });
            d.HasOne<Consultation>().WithMany().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Restrict);
            d.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
            d.HasMany(x => x.Files).WithOne().HasForeignKey(f => f.DepositId);
            d.HasMany(x => x.Members).WithOne().HasForeignKey(m => m.DepositId);
            d.Navigation(x => x.Files).HasField("_files").UsePropertyAccessMode(PropertyAccessMode.Field);
            d.Navigation(x => x.Members).HasField("_members").UsePropertyAccessMode(PropertyAccessMode.Field);
            d.Ignore(x => x.Lots);
            d.Ignore(x => x.IsDraft);
            d.Ignore(x => x.TotalSize);
            d.Ignore(x => x.Envelopes);
        });
        builder.Entity<DepositFile>(f =>
        {
            // The domain makes the ids: a file added to a loaded deposit is new, not an update.
            f.Property(x => x.Id).ValueGeneratedNever();
            f.Property(x => x.Envelope).HasConversion<string>().HasMaxLength(20);
            f.Property(x => x.Name).HasMaxLength(255);
            f.Property(x => x.Sha256).HasMaxLength(64);
            f.Property(x => x.StorageKey).HasMaxLength(300);
            f.HasIndex(x => x.UploadId).IsUnique();
            f.Ignore(x => x.Format);
        });
        builder.Entity<GroupMember>(m =>
        {
            m.Property(x => x.Id).ValueGeneratedNever();
            m.Property(x => x.Name).HasMaxLength(200);
            m.Property(x => x.Siret).HasMaxLength(14);
        });
        builder.Entity<DepositReceipt>(r =>
        {
            r.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            r.Property(x => x.Sha256).HasMaxLength(64);
            r.Property(x => x.TimestampSerial).HasMaxLength(100);
            r.Property(x => x.TimestampAuthority).HasMaxLength(300);
            r.Property(x => x.MailTo).HasMaxLength(320);
            r.HasIndex(x => new { x.DepositId, x.Kind }).IsUnique();
            r.HasIndex(x => new { x.CompletedUtc, x.IssuedUtc });
            r.HasOne<Deposit>().WithMany().HasForeignKey(x => x.DepositId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Question>(q =>
        {
            q.Property(x => x.Id).ValueGeneratedNever();
            q.Property(x => x.Text).HasMaxLength(Question.MaxTextLength);
            q.Property(x => x.Answer).HasMaxLength(Question.MaxAnswerLength);
            q.OwnsOne(x => x.Attachment, a =>
            {
                a.Property(p => p.Name).HasMaxLength(255).HasColumnName("AttachmentName");
                a.Property(p => p.Size).HasColumnName("AttachmentSize");
                a.Property(p => p.Sha256).HasMaxLength(64).HasColumnName("AttachmentSha256");
                a.Property(p => p.StorageKey).HasMaxLength(300).HasColumnName("AttachmentStorageKey");
            });
            q.HasIndex(x => new { x.ConsultationId, x.AskedUtc });
            q.HasOne<Consultation>().WithMany().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Restrict);
            q.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
            q.Ignore(x => x.IsPublished);
        });

        builder.Entity<OutboxMail>(m =>
        {
            m.Property(x => x.Id).ValueGeneratedNever();
            m.Property(x => x.To).HasMaxLength(320);
            m.Property(x => x.Subject).HasMaxLength(500);
            m.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            m.Property(x => x.LastError).HasMaxLength(1000);
            m.HasIndex(x => new { x.Status, x.NextAttemptUtc });
        });
        builder.Entity<SharedUpload>(u =>
        {
            u.Property(x => x.Id).HasMaxLength(32).ValueGeneratedNever();
            u.Property(x => x.ContentName).HasMaxLength(255);
            u.Property(x => x.Sha256).HasMaxLength(64);
            u.Property(x => x.TailKey).HasMaxLength(300);
            u.HasIndex(x => x.ExpiresUtc);
        });
        builder.Entity<AuditChainHead>(h =>
        {
            h.Property(x => x.Id).ValueGeneratedNever();
            h.Property(x => x.LastHash).HasMaxLength(64);
            h.HasData(new AuditChainHead { UpdatedUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
        });
        builder.Entity<AuditEntry>(a =>
        {
            a.Property(x => x.Id).ValueGeneratedNever();
            a.Property(x => x.Action).HasMaxLength(100);
            a.Property(x => x.Target).HasMaxLength(200);
            a.Property(x => x.Detail).HasMaxLength(2000);
            a.HasIndex(x => x.AtUtc);
            a.HasIndex(x => x.Sequence).IsUnique();
            a.Property(x => x.PreviousHash).HasMaxLength(64);
            a.Property(x => x.Hash).HasMaxLength(64);
            a.HasIndex(x => new { x.ConsultationId, x.AtUtc });
        });

        builder.Entity<SavedSearch>(s =>
        {
            s.Property(x => x.Id).ValueGeneratedNever();
            s.Property(x => x.Name).HasMaxLength(SavedSearch.MaxNameLength);
            s.Property(x => x.Criteria).HasMaxLength(SavedSearch.MaxCriteriaLength);
            s.Property(x => x.FeedToken).HasMaxLength(64);
            s.HasIndex(x => x.FeedToken).IsUnique();
            s.HasIndex(x => x.UserId);
            s.HasIndex(x => new { x.DailyDigest, x.LastDigestUtc });
            // Two digest workers at once: the second one's save fails instead of mailing the same list again.
            s.Property(x => x.LastDigestUtc).IsConcurrencyToken();
            s.HasOne<PliUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<MessageThread>(t =>
        {
            t.Property(x => x.Id).ValueGeneratedNever();
            t.Property(x => x.Type).HasConversion<string>().HasMaxLength(40);
            t.Property(x => x.Subject).HasMaxLength(MessageThread.MaxSubjectLength);
            // Two users opening the message at once: one read receipt, the other's save fails and is dropped.
            t.Property(x => x.FirstReadUtc).IsConcurrencyToken();
            t.HasIndex(x => new { x.ConsultationId, x.CreatedUtc });
            t.HasIndex(x => new { x.CompanyId, x.CreatedUtc });
            t.HasOne<Consultation>().WithMany().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Restrict);
            t.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
            t.HasMany(x => x.Messages).WithOne().HasForeignKey(m => m.ThreadId);
            t.Navigation(x => x.Messages).HasField("_messages").UsePropertyAccessMode(PropertyAccessMode.Field);
            t.Ignore(x => x.IsRead);
            t.Ignore(x => x.Replies);
            t.Ignore(x => x.UnreadReplies);
        });
        builder.Entity<ThreadMessage>(m =>
        {
            // The domain makes the ids: a reply added to a loaded thread is new, not an update.
            m.Property(x => x.Id).ValueGeneratedNever();
            m.Property(x => x.Side).HasConversion<string>().HasMaxLength(20);
            m.Property(x => x.Text).HasMaxLength(MessageThread.MaxTextLength);
            m.HasIndex(x => new { x.ThreadId, x.SentUtc });
            m.HasMany(x => x.Attachments).WithOne().HasForeignKey(a => a.MessageId);
            m.Navigation(x => x.Attachments).HasField("_attachments").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        builder.Entity<MessageAttachment>(a =>
        {
            a.Property(x => x.Id).ValueGeneratedNever();
            a.Property(x => x.Name).HasMaxLength(255);
            a.Property(x => x.Sha256).HasMaxLength(64);
            a.Property(x => x.StorageKey).HasMaxLength(300);
        });
        builder.Entity<OpeningSession>(s =>
        {
            s.Property(x => x.Id).ValueGeneratedNever();
            // One session per consultation: two openers starting at once make one, the second save fails.
            s.HasIndex(x => x.ConsultationId).IsUnique();
            s.HasOne<Consultation>().WithMany().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Restrict);
            s.HasMany(x => x.Acts).WithOne().HasForeignKey(a => a.SessionId);
            s.Navigation(x => x.Acts).HasField("_acts").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        builder.Entity<OpeningAct>(a =>
        {
            // The domain makes the ids: an act added to a loaded session is new, not an update.
            a.Property(x => x.Id).ValueGeneratedNever();
            a.Property(x => x.Envelope).HasConversion<string>().HasMaxLength(20);
            a.Property(x => x.Reason).HasMaxLength(OpeningSession.MaxReasonLength);
            // An envelope is opened once, even by two openers clicking at the same moment.
            a.HasIndex(x => new { x.SessionId, x.DepositId, x.Envelope, x.LotKey }).IsUnique();
            a.HasOne<Deposit>().WithMany().HasForeignKey(x => x.DepositId).OnDelete(DeleteBehavior.Restrict);
            a.Ignore(x => x.OpenedEnvelope);
        });
        builder.Entity<OpenedFileCheck>(c =>
        {
            c.Property(x => x.Id).ValueGeneratedNever();
            c.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
            c.Property(x => x.AlterationCode).HasMaxLength(100);
            c.Property(x => x.ComputedSha256).HasMaxLength(64);
            c.Property(x => x.ScanVerdict).HasConversion<string>().HasMaxLength(20);
            c.Property(x => x.ScanSignature).HasMaxLength(200);
            c.Property(x => x.ScanDetail).HasMaxLength(500);
            c.HasIndex(x => x.ActId);
            c.HasIndex(x => x.DepositFileId).IsUnique();
            c.HasOne<OpeningAct>().WithMany().HasForeignKey(x => x.ActId).OnDelete(DeleteBehavior.Restrict);
            c.HasOne<DepositFile>().WithMany().HasForeignKey(x => x.DepositFileId).OnDelete(DeleteBehavior.Restrict);
            c.Ignore(x => x.IsAltered);
            c.Ignore(x => x.IsInfected);
            c.Ignore(x => x.MayBeServed);
        });
        builder.Entity<AwardDecision>(a =>
        {
            a.Property(x => x.Id).ValueGeneratedNever();
            a.Property(x => x.CompanyIdList).HasMaxLength(2000);
            a.Property(x => x.AmountHt).HasPrecision(18, 2);
            // One decision per lot (0: the single contract), whatever two agents post at once.
            a.HasIndex(x => new { x.ConsultationId, x.LotNumber }).IsUnique();
            // Two agents sending the letters at once: the second save fails instead of sending them twice.
            a.Property(x => x.LettersSentUtc).IsConcurrencyToken();
            a.HasOne<Consultation>().WithMany().HasForeignKey(x => x.ConsultationId).OnDelete(DeleteBehavior.Restrict);
            a.Ignore(x => x.CompanyIds);
            a.Ignore(x => x.Lot);
            a.Ignore(x => x.StandstillEnds);
        });
        builder.Entity<EssentialData>(e =>
        {
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => x.AwardId).IsUnique();
            e.HasIndex(x => new { x.AcheteurSiret, x.DateNotification });
            e.Property(x => x.AcheteurSiret).HasMaxLength(14);
            e.Property(x => x.MarcheId).HasMaxLength(16);
            e.Property(x => x.Nature).HasMaxLength(100);
            e.Property(x => x.Techniques).HasMaxLength(500);
            e.Property(x => x.ModalitesExecution).HasMaxLength(200);
            e.Property(x => x.Ccag).HasMaxLength(100);
            e.Property(x => x.TauxAvance).HasPrecision(5, 4);
            e.Property(x => x.TypeGroupement).HasMaxLength(30);
            e.Property(x => x.Procedure).HasMaxLength(100);
            e.Property(x => x.LieuCode).HasMaxLength(20);
            e.Property(x => x.LieuTypeCode).HasMaxLength(30);
            e.Property(x => x.TypesPrix).HasMaxLength(200);
            e.Property(x => x.FormePrix).HasMaxLength(20);
            e.Property(x => x.ConsiderationsSociales).HasMaxLength(200);
            e.Property(x => x.ConsiderationsEnvironnementales).HasMaxLength(200);
            e.HasOne<AwardDecision>().WithMany().HasForeignKey(x => x.AwardId).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.Value.ToUniversalTime(), DateTimeKind.Utc)) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}

public sealed class SqlitePliDbContext(DbContextOptions<SqlitePliDbContext> options) : PliDbContext(options);

public sealed class PostgresPliDbContext(DbContextOptions<PostgresPliDbContext> options) : PliDbContext(options)
{
    /// <summary>The shadow column of the consultations' search words (PostgreSQL only).</summary>
    public const string SearchVector = "SearchVector";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // The place is a "contains" criterion (LIKE '%…%'), which a B-tree cannot serve: a trigram index can (pg_trgm
        // is a trusted extension, the database's owner may create it). SQLite scans.
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<Consultation>(c =>
        {
            c.HasIndex(x => x.PlaceKey).HasDatabaseName("IX_Consultations_PlaceKey_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            // The keywords are word prefixes: the words of the search text (cut as Text.Words cuts them) in a tsvector
            // kept by the database itself, whose GIN index answers any number of words in one scan (bench/README.md,
            // "Portal"). Read by the portal's filter only, through EF.Property.
            c.Property<NpgsqlTsVector>(SearchVector)
                .HasComputedColumnSql("to_tsvector('simple'::regconfig, regexp_replace(\"SearchText\", '[^a-z0-9]+', ' ', 'g'))", stored: true);
            c.HasIndex(SearchVector).HasDatabaseName("IX_Consultations_SearchVector").HasMethod("gin");
        });
    }
}
