using System.Linq.Expressions;
using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Monitoring;

/// <summary>
/// The peer group for medians and percentiles, and the platforms that must report every month: licence holders
/// (licensed, conditionally licensed, and suspended — a suspended platform still runs off its book and reports it).
/// </summary>
public static class Peers
{
    public static readonly Expression<Func<Platform, bool>> LicenceHolders = p =>
        p.LicenceStatus == LicenceStatus.Licensed || p.LicenceStatus == LicenceStatus.ConditionallyLicensed || p.LicenceStatus == LicenceStatus.Suspended;
}
