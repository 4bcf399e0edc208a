using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Scorecards;

/// <summary>Scorecard versions (Admin): draft from the active one, edit, activate, and the what-if comparison.</summary>
public sealed class ScorecardService(IPortalDbFactory dbFactory)
{
    private static readonly string[] Readers = [Roles.Admin, Roles.Reviewer, Roles.Approver, Roles.Analyst, Roles.RiskOfficer];

    public async Task<IReadOnlyList<ScorecardListItem>> GetVersionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        return await db.ScorecardVersions.AsNoTracking().OrderByDescending(s => s.Number)
            .Select(s => new ScorecardListItem(s.Id, s.Number, s.Name, s.Status, s.CreatedBy, s.CreatedUtc, s.ActivatedUtc))
            .ToListAsync(ct);
    }

    public async Task<ScorecardDetail?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        return await db.ScorecardVersions.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new ScorecardDetail(s.Id, s.Number, s.Name, s.Status, s.Definition, s.CreatedBy, s.CreatedUtc, s.ActivatedUtc, s.ConcurrencyStamp))
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>A new draft version copied from the active one (or from the defaults when none is active).</summary>
    public async Task<int> CreateDraftAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Admin, ct);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ValidationFailedException("Name", "Name the new version, e.g. \"2027 thresholds\".");
        }

        var active = await db.ScorecardVersions.AsNoTracking().SingleOrDefaultAsync(s => s.Status == ScorecardStatus.Active, ct);
        var number = (await db.ScorecardVersions.Select(s => (int?)s.Number).MaxAsync(ct) ?? 0) + 1;
        ScorecardVersion NewScorecardVersion() => new()
        {
            Number = number,
            Name = name.Trim(),
            Status = ScorecardStatus.Draft,
            Definition = active?.Definition ?? ScorecardDefaults.Definition,
            CreatedBy = db.User.UserName,
            CreatedUtc = db.UtcNow,
        };
        var draft = await db.InTransactionAsync(async ct =>
        {
            var draft = NewScorecardVersion();
            db.ScorecardVersions.Add(draft);
            await db.SaveChangesAsync(ct);
            db.Audit("ScorecardDrafted", nameof(ScorecardVersion), draft.Id.ToString(), null, $"Scorecard v{number} \"{draft.Name}\" drafted from v{active?.Number.ToString() ?? "defaults"}.");
            await db.SaveChangesAsync(ct);
            return draft;
        }, ct);
        return draft.Id;
    }

    /// <summary>Saves a draft's knock-outs, weights and rules. Weights must total 100 %.</summary>
    public async Task UpdateDraftAsync(int id, ScorecardDefinition definition, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Admin, ct);
        var errors = ScorecardValidator.Validate(definition);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var version = await LoadDraftAsync(db, id, stamp, ct);
        version.Definition = definition;
        db.Audit("ScorecardUpdated", nameof(ScorecardVersion), id.ToString(), null,
            $"Scorecard v{version.Number} draft saved: weights {string.Join(", ", definition.Criteria.Select(c => $"{c.Key} {c.WeightPct:0.##}%"))}.");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Makes a draft the active version; the previous active version is retired (and stays readable).</summary>
    public async Task ActivateAsync(int id, Guid stamp, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Admin, ct);
        var version = await LoadDraftAsync(db, id, stamp, ct);
        var errors = ScorecardValidator.Validate(version.Definition);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        foreach (var active in await db.ScorecardVersions.Where(s => s.Status == ScorecardStatus.Active).ToListAsync(ct))
        {
            active.Status = ScorecardStatus.Retired;
        }

        version.Status = ScorecardStatus.Active;
        version.ActivatedUtc = db.UtcNow;
        db.Audit("ScorecardActivated", nameof(ScorecardVersion), id.ToString(), null, $"Scorecard v{version.Number} \"{version.Name}\" activated.");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Evaluates a draft over the latest submitted version of every application (which covers the licensed platforms
    /// through their approved applications) and lists those whose band would change, with the reason.
    /// </summary>
    public async Task<WhatIfResult> WhatIfAsync(int draftId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.Admin, ct);
        var draft = await db.ScorecardVersions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == draftId, ct)
            ?? throw new NotFoundException("Scorecard version not found.");
        var active = await db.ScorecardVersions.AsNoTracking().SingleOrDefaultAsync(s => s.Status == ScorecardStatus.Active, ct)
            ?? throw new ValidationFailedException("Scorecard", "No scorecard version is active to compare with.");

        // One row per application: its latest version's inputs (streamed, not the whole table at once).
        var latest = db.ApplicationVersions.AsNoTracking()
            .Where(v => v.Number == db.ApplicationVersions.Where(w => w.ApplicationId == v.ApplicationId).Max(w => w.Number))
            .Join(db.AccessApplications, v => v.ApplicationId, a => a.Id, (v, a) => new
            {
                a.Id, a.Reference, Code = a.Platform!.Code, a.State, a.Platform.LicenceStatus, v.Inputs,
            })
            .OrderBy(x => x.Id)
            .AsAsyncEnumerable();

        var changes = new List<WhatIfRow>();
        var evaluated = 0;
        await foreach (var row in latest.WithCancellation(ct))
        {
            evaluated++;
            var before = ScorecardEngine.Evaluate(active.Definition, row.Inputs);
            var after = ScorecardEngine.Evaluate(draft.Definition, row.Inputs);
            if (before.Band != after.Band)
            {
                changes.Add(new WhatIfRow(row.Id, row.Reference, row.Code, row.State, row.LicenceStatus,
                    before.TotalScore, before.Band, after.TotalScore, after.Band, Explain(before, after)));
            }
        }

        return new WhatIfResult(draft.Number, active.Number, evaluated, changes);
    }

    public static string Explain(ScoreResult before, ScoreResult after)
    {
        var newlyFailed = after.Knockouts.Where(k => !k.Passed && before.Knockouts.Any(b => b.Key == k.Key && b.Passed)).ToList();
        var newlyPassed = after.Knockouts.Where(k => k.Passed && before.Knockouts.Any(b => b.Key == k.Key && !b.Passed)).ToList();
        var parts = new List<string>();
        parts.AddRange(newlyFailed.Select(k => $"now fails \"{k.Rule}\" ({k.Input}, needs {k.Threshold})"));
        parts.AddRange(newlyPassed.Select(k => $"now passes \"{k.Rule}\""));
        if (before.TotalScore != after.TotalScore)
        {
            var biggest = after.Criteria
                .Select(c => (c.Key, Delta: c.WeightedPoints - (before.Criteria.FirstOrDefault(b => b.Key == c.Key)?.WeightedPoints ?? 0)))
                .OrderByDescending(x => Math.Abs(x.Delta)).First();
            parts.Add($"score {before.TotalScore:0.00} -> {after.TotalScore:0.00} (largest change: {biggest.Key} {biggest.Delta:+0.00;-0.00})");
        }

        return parts.Count == 0 ? "band limits changed" : string.Join("; ", parts);
    }

    private static async Task<ScorecardVersion> LoadDraftAsync(IPortalDb db, int id, Guid stamp, CancellationToken ct)
    {
        var version = await db.ScorecardVersions.SingleOrDefaultAsync(s => s.Id == id, ct)
            ?? throw new NotFoundException("Scorecard version not found.");
        if (version.Status != ScorecardStatus.Draft)
        {
            throw new ValidationFailedException("Status", $"Scorecard v{version.Number} is {version.Status}; only a draft can be changed. Create a new version instead.");
        }

        db.ExpectConcurrencyStamp(version, stamp);
        return version;
    }
}
