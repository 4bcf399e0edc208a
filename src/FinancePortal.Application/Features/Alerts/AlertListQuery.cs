using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Alerts;

/// <summary>The alert list's filters and sort orders (an allow-list of the grid's columns), shared by the page and its export.</summary>
internal static class AlertListQuery
{
    internal static IQueryable<Alert> Filter(IPortalDb db, AlertQuery query)
    {
        var alerts = db.Alerts.AsNoTracking();
        if (query.State is AlertState state)
        {
            alerts = alerts.Where(a => a.State == state);
        }
        else if (query.OpenOnly)
        {
            alerts = alerts.Where(a => a.State != AlertState.Closed);
        }

        if (query.Rule is AlertRule rule)
        {
            alerts = alerts.Where(a => a.Rule == rule);
        }

        if (query.Severity is AlertSeverity severity)
        {
            alerts = alerts.Where(a => a.Severity == severity);
        }

        if (query.PlatformId is int platformId)
        {
            alerts = alerts.Where(a => a.PlatformId == platformId);
        }

        if (query.AssignedToMe)
        {
            var me = db.User.UserId;
            alerts = alerts.Where(a => a.OwnerId == me);
        }

        return alerts;
    }

    internal static IQueryable<Alert> Sort(IQueryable<Alert> alerts, AlertQuery query) => (query.SortBy, query.Descending) switch
    {
        ("Platform", false) => alerts.OrderBy(a => a.Platform!.Code).ThenByDescending(a => a.Id),
        ("Platform", true) => alerts.OrderByDescending(a => a.Platform!.Code).ThenByDescending(a => a.Id),
        ("Period", false) => alerts.OrderBy(a => a.Period).ThenBy(a => a.Id),
        ("Period", true) => alerts.OrderByDescending(a => a.Period).ThenByDescending(a => a.Id),
        ("Severity", false) => alerts.OrderBy(a => a.Severity == AlertSeverity.Critical ? 3 : a.Severity == AlertSeverity.High ? 2 : a.Severity == AlertSeverity.Medium ? 1 : 0).ThenBy(a => a.Id),
        ("Severity", true) => alerts.OrderByDescending(a => a.Severity == AlertSeverity.Critical ? 3 : a.Severity == AlertSeverity.High ? 2 : a.Severity == AlertSeverity.Medium ? 1 : 0).ThenByDescending(a => a.Id),
        ("State", false) => alerts.OrderBy(a => a.State).ThenByDescending(a => a.Id),
        ("State", true) => alerts.OrderByDescending(a => a.State).ThenByDescending(a => a.Id),
        ("Raised", false) => alerts.OrderBy(a => a.RaisedUtc).ThenBy(a => a.Id),
        _ => alerts.OrderByDescending(a => a.UpdatedUtc).ThenByDescending(a => a.Id),
    };
}
