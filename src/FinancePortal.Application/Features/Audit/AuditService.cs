using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Audit;

/// <summary>Reads the append-only audit log (Admin, Analyst) and records events that have no other unit of work (sign-ins).</summary>
public sealed class AuditService(IPortalDbFactory dbFactory)
{
    public static readonly string[] Readers = [Roles.Admin, Roles.Analyst];

    public async Task<PagedResult<AuditItem>> GetPageAsync(AuditQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);

        var entries = Filter(db.AuditEntries.AsNoTracking(), query);
        var total = await entries.CountAsync(ct);
        var items = await Project(db, Sort(entries, query).Skip(query.Skip).Take(query.SafePageSize)).ToListAsync(ct);
        return new PagedResult<AuditItem>(items, total);
    }

    /// <summary>Every entry matching the page's filters, in the page's order, streamed (the grid's export).</summary>
    public async IAsyncEnumerable<AuditItem> StreamAsync(AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        await foreach (var item in Project(db, Sort(Filter(db.AuditEntries.AsNoTracking(), query), query)).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return item;
        }
    }

    private static IQueryable<AuditEntry> Sort(IQueryable<AuditEntry> entries, AuditQuery query) => (query.SortBy, query.Descending) switch
    {
        ("Actor", false) => entries.OrderBy(a => a.Actor).ThenByDescending(a => a.Id),
        ("Actor", true) => entries.OrderByDescending(a => a.Actor).ThenByDescending(a => a.Id),
        ("Action", false) => entries.OrderBy(a => a.Action).ThenByDescending(a => a.Id),
        ("Action", true) => entries.OrderByDescending(a => a.Action).ThenByDescending(a => a.Id),
        ("TimeUtc", false) => entries.OrderBy(a => a.Id),
        _ => entries.OrderByDescending(a => a.Id),
    };

    /// <summary>
    /// The platform code comes from the SCOPED platforms: an entry in view has its platform in view. Never
    /// IgnoreQueryFilters here: in EF Core it switches the filters off for the whole query, audit entries included.
    /// </summary>
    private static IQueryable<AuditItem> Project(IPortalDb db, IQueryable<AuditEntry> entries) =>
        entries.Select(a => new AuditItem(
            a.Id, a.TimeUtc, a.Actor, a.Role, a.Action, a.EntityType, a.EntityId, a.PlatformId,
            db.Platforms.Where(p => p.Id == a.PlatformId).Select(p => p.Code).FirstOrDefault(),
            a.Summary,
            db.Users.Where(u => u.UserName == a.Actor).Select(u => u.DisplayName).FirstOrDefault(),
            a.EntityType == nameof(PortalUser) ? db.Users.Where(u => u.Id == a.EntityId).Select(u => u.DisplayName).FirstOrDefault()
            : a.EntityType == nameof(Platform) ? db.Platforms.Where(p => p.Id.ToString() == a.EntityId).Select(p => p.Code).FirstOrDefault()
            : null,
            a.ApiToken));

    /// <summary>The distinct actions recorded so far, for the filter list.</summary>
    public async Task<IReadOnlyList<string>> GetActionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        return await db.AuditEntries.AsNoTracking().Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
    }

    /// <summary>
    /// Records an event on its own (sign-in, sign-out, failed sign-in). The entry carries the platform of the account
    /// it is about (an operator's), so that only audit readers whose scope holds that platform see it: a province's
    /// analyst does not read the e-mail addresses of other provinces' operators.
    /// </summary>
    public async Task RecordAsync(UserContext actor, string action, string entityType, string? entityId, string summary, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateForAsync(actor, ct);
        var platformId = await AccountPlatformAsync(db, actor, ct);
        db.Audit(action, entityType, entityId, platformId, summary);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The platform of the actor's account (by id, or by the e-mail typed at a failed sign-in); null for regulators and unknown e-mails.</summary>
    private static async Task<int?> AccountPlatformAsync(IPortalDb db, UserContext actor, CancellationToken ct)
    {
        // Only the platform id of the account itself is read, whatever the actor's scope (a failed sign-in has none).
        var users = db.Users.IgnoreQueryFilters().AsNoTracking();
        if (actor.UserId is { } id)
        {
            return await users.Where(u => u.Id == id).Select(u => u.PlatformId).FirstOrDefaultAsync(ct);
        }

        var normalized = actor.UserName.Normalize().ToUpperInvariant();
        return await users.Where(u => u.NormalizedEmail == normalized).Select(u => u.PlatformId).FirstOrDefaultAsync(ct);
    }

    internal static IQueryable<AuditEntry> Filter(IQueryable<AuditEntry> entries, AuditQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            entries = entries.Where(a => a.Actor.Contains(actor));
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            entries = entries.Where(a => a.Action == query.Action);
        }

        if (!string.IsNullOrWhiteSpace(query.EntityType))
        {
            entries = entries.Where(a => a.EntityType == query.EntityType);
        }

        if (query.PlatformId is { } platformId)
        {
            entries = entries.Where(a => a.PlatformId == platformId);
        }

        if (query.FromUtc is { } from)
        {
            entries = entries.Where(a => a.TimeUtc >= from);
        }

        if (query.ToUtc is { } to)
        {
            entries = entries.Where(a => a.TimeUtc < to);
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            entries = entries.Where(a => a.Summary.Contains(text));
        }

        return entries;
    }
}
