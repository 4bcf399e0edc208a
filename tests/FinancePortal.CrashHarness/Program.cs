using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Submissions;
using FinancePortal.Infrastructure.Import;
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
            services.AddSingleton<ILoanTapeProcessor>(sp => new PauseBeforeCommit(ActivatorUtilities.CreateInstance<LoanTapeProcessor>(sp))));
        await using var op = await portal.AsAsync(DemoUsers.Operator);
        Console.WriteLine("SIGNING");
        var version = await op.Get<SubmissionService>().SignAsync(long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), "Sun Hao", true, Guid.Parse(args[2]));
        Console.WriteLine($"SIGNED {version}");
        return 0;
    }

    /// <summary>The real processor; after it wrote the rows into the open transaction, the instance "hangs" until killed.</summary>
    private sealed class PauseBeforeCommit(ILoanTapeProcessor inner) : ILoanTapeProcessor
    {
        public Task<LoanTapeSummary> CheckAsync(Stream file, string fileName, string fileSha256, string platformCode, string period, MonthFigures? previous,
            Func<TapeFinding, ValueTask> onFinding, IProgress<long>? rowsProgress, CancellationToken ct) =>
            inner.CheckAsync(file, fileName, fileSha256, platformCode, period, previous, onFinding, rowsProgress, ct);

        public async Task<long> CommitAsync(IPortalDb db, Stream file, LoanSubmission submission, string platformCode, CancellationToken ct)
        {
            var rows = await inner.CommitAsync(db, file, submission, platformCode, ct);
            Console.WriteLine($"ROWS-WRITTEN {rows}");
            await Task.Delay(Timeout.Infinite, ct);
            return rows;
        }

        public void Signed(LoanSubmission submission, string platformCode) => inner.Signed(submission, platformCode);
    }
}
