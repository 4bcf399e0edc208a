using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace FinancePortal.Application;

/// <summary>
/// One unit of work against the portal database, already limited to the acting user's <see cref="DataScope"/>.
/// Open one per operation through <see cref="IPortalDbFactory"/> and dispose it.
/// </summary>
public interface IPortalDb : IAsyncDisposable
{
    DbSet<Platform> Platforms { get; }

    DbSet<LicenceChange> LicenceChanges { get; }

    DbSet<AuditEntry> AuditEntries { get; }

    DbSet<AccessApplication> AccessApplications { get; }

    DbSet<ApplicationVersion> ApplicationVersions { get; }

    DbSet<ApplicationTransition> ApplicationTransitions { get; }

    DbSet<ApplicationDocument> ApplicationDocuments { get; }

    DbSet<DocumentContent> DocumentContents { get; }

    DbSet<ScorecardVersion> ScorecardVersions { get; }

    DbSet<Scoring> Scorings { get; }

    DbSet<LoanSubmission> LoanSubmissions { get; }

    DbSet<SubmissionFinding> SubmissionFindings { get; }

    DbSet<LoanRecord> LoanRecords { get; }

    DbSet<MonthlyAggregate> MonthlyAggregates { get; }

    DbSet<IndustryAggregate> IndustryAggregates { get; }

    DbSet<PeerRank> PeerRanks { get; }

    DbSet<RollRateCell> RollRateCells { get; }

    DbSet<VintageCell> VintageCells { get; }

    DbSet<MetricsRebuildJob> MetricsRebuildJobs { get; }

    DbSet<AlertThresholds> AlertThresholds { get; }

    DbSet<Alert> Alerts { get; }

    DbSet<SupervisoryAction> SupervisoryActions { get; }

    DbSet<AlertStateChange> AlertStateChanges { get; }

    DbSet<WatchListEntry> WatchList { get; }

    DbSet<RectificationRequest> RectificationRequests { get; }

    DbSet<RectificationMessage> RectificationMessages { get; }

    DbSet<RectificationAttachment> RectificationAttachments { get; }

    DbSet<GeneratedReport> GeneratedReports { get; }

    DbSet<ApiToken> ApiTokens { get; }

    DbSet<PortalUser> Users { get; }

    DbSet<IdentityRole> Roles { get; }

    DbSet<IdentityUserRole<string>> UserRoles { get; }

    DatabaseFacade Database { get; }

    /// <summary>Long-running jobs clear it between batches so change detection stays cheap.</summary>
    Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker ChangeTracker { get; }

    UserContext User { get; }

    DataScope Scope { get; }

    DateTime UtcNow { get; }

    /// <summary>Adds an audit record to this unit of work, saved atomically with the change it describes.</summary>
    void Audit(string action, string entityType, string? entityId, int? platformId, string summary);

    /// <summary>Tells the context which concurrency stamp the user saw, so a stale save fails.</summary>
    void ExpectConcurrencyStamp<T>(T entity, Guid stampSeenByUser) where T : class, IConcurrencyAware;

    /// <summary>Saves; a concurrency conflict surfaces as <see cref="ConcurrencyConflictException"/>.</summary>
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

public interface IPortalDbFactory
{
    /// <summary>A unit of work for the current user, limited to their data scope.</summary>
    Task<IPortalDb> CreateAsync(CancellationToken cancellationToken = default);

    /// <summary>A unit of work for an explicit user (hosted jobs use <see cref="UserContext.System"/>).</summary>
    Task<IPortalDb> CreateForAsync(UserContext user, CancellationToken cancellationToken = default);
}
