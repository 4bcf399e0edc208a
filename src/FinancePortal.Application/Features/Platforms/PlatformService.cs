using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Platforms;

/// <summary>Platforms and their licence history. Every query runs inside the caller's data scope.</summary>
public sealed class PlatformService(IPortalDbFactory dbFactory)
{
    public async Task<PagedResult<PlatformListItem>> GetPageAsync(PlatformQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);

        var platforms = db.Platforms.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            var upper = term.ToUpperInvariant();
            platforms = platforms.Where(p => p.Code.StartsWith(upper) || p.LegalName.Contains(term));
        }

        if (query.Kind is { } kind)
        {
            platforms = platforms.Where(p => p.Kind == kind);
        }

        if (query.Status is { } status)
        {
            platforms = platforms.Where(p => p.LicenceStatus == status);
        }

        if (!string.IsNullOrWhiteSpace(query.Province))
        {
            platforms = platforms.Where(p => p.Province == query.Province);
        }

        var total = await platforms.CountAsync(ct);
        var sorted = (query.SortBy, query.Descending) switch
        {
            ("LegalName", false) => platforms.OrderBy(p => p.LegalName),
            ("LegalName", true) => platforms.OrderByDescending(p => p.LegalName),
            ("Province", false) => platforms.OrderBy(p => p.Province).ThenBy(p => p.Code),
            ("Province", true) => platforms.OrderByDescending(p => p.Province).ThenBy(p => p.Code),
            ("Kind", false) => platforms.OrderBy(p => p.Kind).ThenBy(p => p.Code),
            ("Kind", true) => platforms.OrderByDescending(p => p.Kind).ThenBy(p => p.Code),
            ("LicenceStatus", false) => platforms.OrderBy(p => p.LicenceStatus).ThenBy(p => p.Code),
            ("LicenceStatus", true) => platforms.OrderByDescending(p => p.LicenceStatus).ThenBy(p => p.Code),
            ("RegisteredCapital", false) => platforms.OrderBy(p => p.RegisteredCapital).ThenBy(p => p.Code),
            ("RegisteredCapital", true) => platforms.OrderByDescending(p => p.RegisteredCapital).ThenBy(p => p.Code),
            (_, true) => platforms.OrderByDescending(p => p.Code),
            _ => platforms.OrderBy(p => p.Code),
        };

        var items = await sorted
            .Skip(query.Skip)
            .Take(query.SafePageSize)
            .Select(p => new PlatformListItem(p.Id, p.Code, p.LegalName, p.Province, p.Kind, p.LicenceStatus, p.RegisteredCapital, p.LendsAcrossProvinces))
            .ToListAsync(ct);
        return new PagedResult<PlatformListItem>(items, total);
    }

    /// <summary>The platform, or null when it does not exist or lies outside the caller's scope.</summary>
    public async Task<PlatformDetail?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        var platform = await db.Platforms.AsNoTracking()
            .Where(p => p.Id == id)
            .Select(p => new PlatformDetail(
                p.Id, p.Code, p.LegalName, p.Province, p.Kind, p.LicenceStatus, p.RegisteredCapital,
                p.LendsAcrossProvinces, p.CreatedUtc, p.ConcurrencyStamp,
                p.LicenceHistory.OrderByDescending(h => h.ChangedUtc).ThenByDescending(h => h.Id)
                    .Select(h => new LicenceChangeItem(h.FromStatus, h.ToStatus, h.Reason, h.Actor, h.ChangedUtc))
                    .ToList()))
            .SingleOrDefaultAsync(ct);
        return platform;
    }

    /// <summary>What the caller can see: the scope in words, how many platforms, and an Operator's own platform.</summary>
    public async Task<ScopeSummary> GetScopeSummaryAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        var count = await db.Platforms.CountAsync(ct);
        PlatformListItem? own = null;
        if (db.User.IsInRole(Roles.Operator))
        {
            own = await db.Platforms.AsNoTracking()
                .Select(p => new PlatformListItem(p.Id, p.Code, p.LegalName, p.Province, p.Kind, p.LicenceStatus, p.RegisteredCapital, p.LendsAcrossProvinces))
                .FirstOrDefaultAsync(ct);
        }

        return new ScopeSummary(db.Scope.Description, db.Scope.IsAll, count, own);
    }

    /// <summary>Platforms in scope for pickers, ordered by code.</summary>
    public async Task<IReadOnlyList<PlatformOption>> GetOptionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.All, ct);
        return await db.Platforms.AsNoTracking()
            .OrderBy(p => p.Code)
            .Select(p => new PlatformOption(p.Id, p.Code, p.LegalName))
            .ToListAsync(ct);
    }

    public async Task<int> CreateAsync(PlatformInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Admin, ct);
        var errors = PlatformValidator.Validate(input);
        var code = input.Code.Trim();
        if (errors.Count == 0 && await db.Platforms.IgnoreQueryFilters().AnyAsync(p => p.Code == code, ct))
        {
            errors[nameof(PlatformInput.Code)] = $"Code {code} is already used by another platform.";
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        Platform NewPlatform() => new()
        {
            Code = code,
            LegalName = input.LegalName.Trim(),
            Province = input.Province,
            LendsAcrossProvinces = input.LendsAcrossProvinces,
            Kind = input.Kind,
            RegisteredCapital = input.RegisteredCapital,
            LicenceStatus = LicenceStatus.Applicant,
            CreatedUtc = db.UtcNow,
            LicenceHistory =
            {
                new LicenceChange
                {
                    FromStatus = null,
                    ToStatus = LicenceStatus.Applicant,
                    Reason = "Platform registered with the portal.",
                    Actor = db.User.UserName,
                    ChangedUtc = db.UtcNow,
                },
            },
        };
        var platform = await db.InTransactionAsync(async ct =>
        {
            var platform = NewPlatform();
            db.Platforms.Add(platform);
            await db.SaveChangesAsync(ct);
            db.Audit(AuditActions.PlatformCreated, nameof(Platform), platform.Id.ToString(), platform.Id, $"Created {platform.Code} ({platform.LegalName}), {platform.Kind}, {platform.Province}.");
            await db.SaveChangesAsync(ct);
            return platform;
        }, ct);
        return platform.Id;
    }

    public async Task UpdateAsync(int id, PlatformInput input, Guid concurrencyStamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Admin, ct);
        var errors = PlatformValidator.Validate(input);
        var code = input.Code.Trim();
        if (errors.Count == 0 && await db.Platforms.IgnoreQueryFilters().AnyAsync(p => p.Code == code && p.Id != id, ct))
        {
            errors[nameof(PlatformInput.Code)] = $"Code {code} is already used by another platform.";
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var platform = await db.Platforms.SingleOrDefaultAsync(p => p.Id == id, ct)
            ?? throw new NotFoundException("Platform not found.");
        db.ExpectConcurrencyStamp(platform, concurrencyStamp);

        var changes = new List<string>();
        void Track<T>(string name, T before, T after)
        {
            if (!EqualityComparer<T>.Default.Equals(before, after))
            {
                changes.Add($"{name}: {before} -> {after}");
            }
        }

        Track("Code", platform.Code, code);
        Track("LegalName", platform.LegalName, input.LegalName.Trim());
        Track("Province", platform.Province, input.Province);
        Track("LendsAcrossProvinces", platform.LendsAcrossProvinces, input.LendsAcrossProvinces);
        Track("Kind", platform.Kind, input.Kind);
        Track("RegisteredCapital", platform.RegisteredCapital, input.RegisteredCapital);
        if (changes.Count == 0)
        {
            return;
        }

        platform.Code = code;
        platform.LegalName = input.LegalName.Trim();
        platform.Province = input.Province;
        platform.LendsAcrossProvinces = input.LendsAcrossProvinces;
        platform.Kind = input.Kind;
        platform.RegisteredCapital = input.RegisteredCapital;
        db.Audit(AuditActions.PlatformUpdated, nameof(Platform), id.ToString(), id, string.Join("; ", changes));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Suspends, revokes or reinstates a licence (Approver). Writes licence history.</summary>
    public async Task ChangeLicenceStatusAsync(int id, LicenceStatus newStatus, string reason, Guid concurrencyStamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Approver, ct);
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 10)
        {
            throw new ValidationFailedException("Reason", "Give the reason for the licence change (at least 10 characters).");
        }

        var platform = await db.Platforms.SingleOrDefaultAsync(p => p.Id == id, ct)
            ?? throw new NotFoundException("Platform not found.");
        db.ExpectConcurrencyStamp(platform, concurrencyStamp);
        if (platform.LicenceStatus == newStatus)
        {
            throw new ValidationFailedException("Status", $"The licence is already {newStatus}.");
        }

        db.LicenceChanges.Add(new LicenceChange
        {
            PlatformId = id,
            FromStatus = platform.LicenceStatus,
            ToStatus = newStatus,
            Reason = reason.Trim(),
            Actor = db.User.UserName,
            ChangedUtc = db.UtcNow,
        });
        db.Audit(AuditActions.LicenceStatusChanged, nameof(Platform), id.ToString(), id, $"{platform.Code}: {platform.LicenceStatus} -> {newStatus}. {reason.Trim()}");
        platform.LicenceStatus = newStatus;
        await db.SaveChangesAsync(ct);
    }
}
