using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Infrastructure.LoanTapes;
using FinancePortal.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.CrashHarness;

/// <summary>
/// Usage: FinancePortal.CrashHarness &lt;database path&gt; &lt;submission id&gt; &lt;concurrency stamp&gt;. Signs the submission
/// as JDBT's operator through the real service, as a portal instance would. Once every loan row is written inside the
/// signing's transaction (before it commits) it prints ROWS-WRITTEN and waits: the test kills it there.
/// </summary>
internal static class CrashHarnessMain
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 3)
        {
            await Console.Error.WriteLineAsync("Usage: FinancePortal.CrashHarness <database path> <submission id> <concurrency stamp>");
            return 2;
        }

        var portal = PortalServices.Open(args[0], services =>
            services.AddSingleton<ILoanRecordWriter>(new PauseBeforeCommit(new FinancePortal.Infrastructure.LoanTapes.Bulk.SqliteLoanRecordWriter())));
        await using var op = await portal.AsAsync(DemoUsers.Operator);
        Console.WriteLine("SIGNING");
        var version = await op.Get<SubmissionService>().SignAsync(long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), "Sun Hao", true, Guid.Parse(args[2]));
        Console.WriteLine($"SIGNED {version}");
        return 0;
    }

    /// <summary>The real bulk writer; after it wrote the rows into the open transaction, the instance "hangs" until killed.</summary>
    private sealed class PauseBeforeCommit(ILoanRecordWriter inner) : ILoanRecordWriter
    {
        public async Task<long> WriteVersionAsync(IPortalDb db, LoanSubmission submission, IAsyncEnumerable<LoanRecord> rows, CancellationToken ct)
        {
            var written = await inner.WriteVersionAsync(db, submission, rows, ct);
            Console.WriteLine($"ROWS-WRITTEN {written}");
            await Task.Delay(Timeout.Infinite, ct);
            return written;
        }
    }
}
