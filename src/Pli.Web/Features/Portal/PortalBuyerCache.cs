using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;

namespace Pli.Web.Features.Portal;

/// <summary>
/// The buyers of the search form (and their names for the result cards), read at most once a minute instead of on
/// every page: public data, the same for every visitor. A save of this process that touches a consultation or an
/// organisation drops it at once (<see cref="PortalBuyerCacheInvalidation"/>); another instance shows the change
/// within <see cref="Expiry"/>.
/// </summary>
public sealed class PortalBuyerCache(TimeProvider time)
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private Entry? _entry;
    private long _version;

    public sealed record Entry(IReadOnlyList<BuyerOption> Buyers, IReadOnlyDictionary<Guid, string> Names, DateTimeOffset ExpiresAt, long Version);

    public async Task<Entry> GetAsync(Func<CancellationToken, Task<IReadOnlyList<BuyerOption>>> load, CancellationToken cancellationToken)
    {
        if (Fresh() is { } entry)
        {
            return entry;
        }
        // One load at a time: when the minute is up, the pages waiting take the list the first one read.
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } loaded)
            {
                return loaded;
            }
            // The version is read before the query: a change saved during it makes the next request read again.
            var version = Interlocked.Read(ref _version);
            var buyers = await load(cancellationToken);
            var fresh = new Entry(buyers, buyers.ToDictionary(b => b.Id, b => b.Name), time.GetUtcNow() + Expiry, version);
            Volatile.Write(ref _entry, fresh);
            return fresh;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Invalidate() => Interlocked.Increment(ref _version);

    private Entry? Fresh() =>
        Volatile.Read(ref _entry) is { } entry && entry.Version == Interlocked.Read(ref _version) && time.GetUtcNow() < entry.ExpiresAt
            ? entry
            : null;
}

/// <summary>
/// Drops the buyers cache once a save that added, changed or removed a consultation (a publication, a cancellation)
/// or an organisation (a new name) has succeeded.
/// </summary>
public sealed class PortalBuyerCacheInvalidation(PortalBuyerCache cache) : SaveChangesInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Apply(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Apply(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries().Any(e =>
                e.Entity is Consultation or Organisation && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            _pending.AddOrUpdate(context, this);
        }
    }

    private void Apply(DbContext? context)
    {
        if (context is not null && _pending.Remove(context))
        {
            cache.Invalidate();
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }
}
