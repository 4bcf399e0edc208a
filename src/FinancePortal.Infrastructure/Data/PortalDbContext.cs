using System.Linq.Expressions;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using FinancePortal.Infrastructure.Data.Configurations;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Infrastructure.Data;

/// <summary>
/// The one database context. Every platform-owned entity carries a query filter that limits rows to the
/// context's <see cref="DataScope"/>; writes outside the scope are refused in <see cref="SaveChangesAsync(CancellationToken)"/>.
/// A context that was not initialised by <see cref="PortalDbFactory"/> sees no platform data at all.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<PortalUser>(options), IPortalDb, IDataProtectionKeyContext
{
    // Read by the query filters on every query; EF parameterises context fields.
    private bool _scopeIsAll;
    private List<int> _scopePlatformIds = [];
    private TimeProvider _time = TimeProvider.System;

    public DbSet<Platform> Platforms => Set<Platform>();

    public DbSet<LicenceChange> LicenceChanges => Set<LicenceChange>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AccessApplication> AccessApplications => Set<AccessApplication>();

    public DbSet<ApplicationVersion> ApplicationVersions => Set<ApplicationVersion>();

    public DbSet<ApplicationTransition> ApplicationTransitions => Set<ApplicationTransition>();

    public DbSet<ApplicationDocument> ApplicationDocuments => Set<ApplicationDocument>();

    public DbSet<DocumentContent> DocumentContents => Set<DocumentContent>();

    public DbSet<ScorecardVersion> ScorecardVersions => Set<ScorecardVersion>();

    public DbSet<Scoring> Scorings => Set<Scoring>();

    public DbSet<LoanSubmission> LoanSubmissions => Set<LoanSubmission>();

    public DbSet<SubmissionFinding> SubmissionFindings => Set<SubmissionFinding>();

    public DbSet<LoanRecord> LoanRecords => Set<LoanRecord>();

    public DbSet<MonthlyAggregate> MonthlyAggregates => Set<MonthlyAggregate>();

    public DbSet<IndustryAggregate> IndustryAggregates => Set<IndustryAggregate>();

    public DbSet<PeerRank> PeerRanks => Set<PeerRank>();

    public DbSet<RollRateCell> RollRateCells => Set<RollRateCell>();

    public DbSet<VintageCell> VintageCells => Set<VintageCell>();

    public DbSet<MetricsRebuildJob> MetricsRebuildJobs => Set<MetricsRebuildJob>();

    public DbSet<AlertThresholds> AlertThresholds => Set<AlertThresholds>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<SupervisoryAction> SupervisoryActions => Set<SupervisoryAction>();

    public DbSet<AlertStateChange> AlertStateChanges => Set<AlertStateChange>();

    public DbSet<WatchListEntry> WatchList => Set<WatchListEntry>();

    public DbSet<RectificationRequest> RectificationRequests => Set<RectificationRequest>();

    public DbSet<RectificationMessage> RectificationMessages => Set<RectificationMessage>();

    public DbSet<RectificationAttachment> RectificationAttachments => Set<RectificationAttachment>();

    /// <summary>ASP.NET Core data-protection keys, shared by every instance of the portal (cookies, antiforgery).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<GeneratedReport> GeneratedReports => Set<GeneratedReport>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public UserContext User { get; private set; } = UserContext.Anonymous;

    public DataScope Scope { get; private set; } = DataScope.None;

    public DateTime UtcNow => _time.GetUtcNow().UtcDateTime;

    internal void Initialize(UserContext user, DataScope scope, TimeProvider time)
    {
        User = user;
        Scope = scope;
        _scopeIsAll = scope.IsAll;
        _scopePlatformIds = [.. scope.PlatformIds];
        _time = time;
    }

    public void Audit(string action, string entityType, string? entityId, int? platformId, string summary) =>
        AuditEntries.Add(new AuditEntry
        {
            TimeUtc = UtcNow,
            Actor = User.UserName,
            Role = User.IsSystem ? "System" : User.RoleList,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            PlatformId = platformId,
            Summary = summary.Length > AuditEntryConfiguration.MaxSummary ? summary[..AuditEntryConfiguration.MaxSummary] : summary,
            ApiToken = User.ApiTokenName,
        });

    public void ExpectConcurrencyStamp<T>(T entity, Guid stampSeenByUser) where T : class, IConcurrencyAware =>
        Entry(entity).Property(e => e.ConcurrencyStamp).OriginalValue = stampSeenByUser;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BeforeSave();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflictException();
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BeforeSave();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflictException();
        }
    }

    private void BeforeSave()
    {
        var alertSteps = new List<AlertStateChange>();
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            if (entry.Entity is AuditEntry && entry.State != EntityState.Added)
            {
                throw new InvalidOperationException("The audit log is append-only: entries cannot be changed or deleted.");
            }

            if (entry.Entity is LicenceChange or ApplicationTransition or ApplicationVersion or Scoring or LoanRecord or SupervisoryAction or AlertStateChange or Application.Domain.AlertThresholds or GeneratedReport or RectificationMessage or RectificationAttachment && entry.State != EntityState.Added)
            {
                throw new InvalidOperationException($"{entry.Entity.GetType().Name} rows are history: they cannot be changed or deleted.");
            }

            if (entry.Entity is IPlatformOwned owned && !Scope.Allows(owned.PlatformId))
            {
                throw new ForbiddenException("You cannot change data of a platform outside your scope.");
            }

            if (entry.Entity is Platform platform &&
                (entry.State == EntityState.Added ? !Scope.IsAll : !Scope.Allows(platform.Id)))
            {
                throw new ForbiddenException("You cannot change a platform outside your scope.");
            }

            if (entry.Entity is IConcurrencyAware aware && entry.State == EntityState.Modified)
            {
                aware.ConcurrencyStamp = Guid.NewGuid();
            }

            if (entry.Entity is Alert alert && AlertStep(entry, alert) is { } step)
            {
                alertSteps.Add(step);
            }
        }

        AlertStateChanges.AddRange(alertSteps);
    }

    /// <summary>The history row for an alert that is raised, or whose state or severity changes; null otherwise.</summary>
    private AlertStateChange? AlertStep(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry, Alert alert)
    {
        AlertState? from = null;
        // Raised at RaisedUtc; changed at UpdatedUtc when the change sets it (services and the seed give both), else now.
        var time = entry.State == EntityState.Added
            ? (alert.RaisedUtc == default ? UtcNow : alert.RaisedUtc)
            : entry.Property(nameof(Alert.UpdatedUtc)).IsModified && alert.UpdatedUtc != default ? alert.UpdatedUtc : UtcNow;
        if (entry.State == EntityState.Modified)
        {
            from = (AlertState)entry.Property(nameof(Alert.State)).OriginalValue!;
            var severityBefore = (AlertSeverity)entry.Property(nameof(Alert.Severity)).OriginalValue!;
            var ownerBefore = (string?)entry.Property(nameof(Alert.OwnerId)).OriginalValue;
            if (from == alert.State && severityBefore == alert.Severity && ownerBefore == alert.OwnerId)
            {
                return null;
            }
        }
        else if (entry.State != EntityState.Added)
        {
            return null;
        }

        return new AlertStateChange
        {
            Alert = alert,
            PlatformId = alert.PlatformId,
            FromState = from,
            ToState = alert.State,
            Severity = alert.Severity,
            OwnerName = alert.OwnerName,
            TimeUtc = time,
            Actor = User.UserName,
        };
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime is UTC; SQLite gives the kind back as Unspecified, so state it on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<decimal>().HavePrecision(20, 2);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);

        builder.Entity<Platform>().HasQueryFilter(p => _scopeIsAll || _scopePlatformIds.Contains(p.Id));
        builder.Entity<AuditEntry>().HasQueryFilter(a => a.PlatformId == null || _scopeIsAll || _scopePlatformIds.Contains(a.PlatformId.Value));
        builder.Entity<ApiToken>().HasQueryFilter(t => t.PlatformId == null || _scopeIsAll || _scopePlatformIds.Contains(t.PlatformId.Value));
        foreach (var type in builder.Model.GetEntityTypes().Select(t => t.ClrType).Where(t => typeof(IPlatformOwned).IsAssignableFrom(t)))
        {
            var method = typeof(PortalDbContext).GetMethod(nameof(ScopeFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type);
            builder.Entity(type).HasQueryFilter((LambdaExpression)method.Invoke(this, null)!);
        }
    }

    private Expression<Func<T, bool>> ScopeFilter<T>() where T : IPlatformOwned =>
        e => _scopeIsAll || _scopePlatformIds.Contains(e.PlatformId);
}
