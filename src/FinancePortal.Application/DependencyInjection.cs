using FinancePortal.Application.Features.Users;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Scorecards;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Application.Features.Exports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FinancePortal.Application;

public static class DependencyInjection
{
    /// <summary>Registers the feature services. They are scoped: one per request or circuit, each opening a context per call.</summary>
    public static IServiceCollection AddPortalApplication(this IServiceCollection services)
    {
        services.AddOptions<FilingOptions>();
        services.AddSingleton<FilingCalendar>();
        services.AddScoped<PlatformService>();
        services.AddScoped<AuditService>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<ApplicationService>();
        services.AddScoped<DocumentService>();
        services.AddScoped<ScorecardService>();
        services.AddSingleton<LoanTapeChecker>();
        services.AddScoped<LoanTapeWorkflow>();
        services.AddScoped<SubmissionService>();
        services.AddScoped<FilingOverviewService>();
        services.AddScoped<AlertService>();
        services.AddScoped<AlertThresholdService>();
        services.AddScoped<WatchListService>();
        services.AddScoped<FinancePortal.Application.Features.Rectifications.RectificationService>();
        services.AddScoped<FinancePortal.Application.Features.ApiTokens.ApiTokenService>();
        services.AddScoped<MonitoringService>();
        services.AddScoped<ReportService>();
        services.AddSingleton<FinancePortal.Application.Diagnostics.PortalMetrics>();
        services.AddScoped<ExportService>();
        services.AddScoped<LoanExtractService>();
        services.AddScoped<GridExports>();
        services.AddSingleton<ExportTrackers>();
        services.AddSingleton<MetricsSignal>();
        services.AddSingleton<MetricsRebuilder>();
        services.AddSingleton<MetricsJobRunner>();
        services.AddScoped<ISubmissionSignedHandler, MetricsOutbox>();
        return services;
    }
}
