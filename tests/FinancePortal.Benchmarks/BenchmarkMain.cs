using System.Runtime.InteropServices;
using FinancePortal.Benchmarks.Harness;
using FinancePortal.Benchmarks.LoanTapes;

namespace FinancePortal.Benchmarks;

/// <summary>
/// Entry point. Not a top-level program: the referenced web app already defines a global <c>Program</c> class.
/// Exit codes: 0 all targets met, 1 a target failed or a benchmark did not complete, 2 bad arguments,
/// 130 cancelled (Ctrl+C, SIGTERM).
/// </summary>
public static class BenchmarkMain
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [LoanTapeBenchmark.ProbeCommand, var tape])
        {
            // A child process of the loantape benchmark: one pipeline run, measured alone.
            return await LoanTapeBenchmark.ProbeAsync(tape);
        }

        if (args is [LoanTapeBenchmark.SheetCommand, var sheet])
        {
            // The sheet reader alone on one XLSX file (for profiling the reader without the check around it).
            return await LoanTapeBenchmark.SheetAsync(sheet);
        }

        if (args is [LoanTapeBenchmark.CheckCommand, var checkedFile, .. var checkOptions])
        {
            // The check alone (edits + staged rows, no database) on one file, for profiling; --no-staging leaves out the staged rows.
            return await LoanTapeBenchmark.CheckAloneAsync(checkedFile, staging: !checkOptions.Contains("--no-staging"));
        }

        if (args is [Exports.ExportBenchmark.AloneCommand, var database, var format, .. var rest])
        {
            // The loan-level extract alone on an existing benchmark database (for profiling the read or one writer).
            return await Exports.ExportBenchmark.AloneAsync(database, format, rest is [var runs] ? int.Parse(runs, System.Globalization.CultureInfo.InvariantCulture) : 3);
        }

        // The exports benchmark measures peak memory in a fresh process per size: it runs this program again.
        if (args is [Exports.ExportBenchmark.ChildFlag, .. var childArgs])
        {
            return await Exports.ExportBenchmark.ChildAsync(childArgs);
        }

        var command = CommandLine.Parse(args, out var error);
        if (command is null)
        {
            if (error.Length > 0)
            {
                Console.Error.WriteLine(error);
            }

            Console.WriteLine(CommandLine.Usage);
            return error.Length > 0 ? 2 : 0;
        }

        // Ctrl+C (SIGINT) or SIGTERM (a CI timeout) cancels the current benchmark, which then stops its child
        // processes in its finally blocks before the harness exits.
        using var cancel = new CancellationTokenSource();
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            cancel.Cancel();
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        var context = new BenchmarkContext(command.Runs, TimeProvider.System, Console.Out);
        var outcomes = new List<(IBenchmark, BenchmarkResult?, Exception?)>();
        foreach (var benchmark in command.Benchmarks)
        {
            Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
            try
            {
                outcomes.Add((benchmark, await benchmark.RunAsync(context, cancel.Token), null));
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                Console.Error.WriteLine("Cancelled.");
                return 130;
            }
            catch (Exception ex)
            {
                // Reported with the others; the run still fails.
                outcomes.Add((benchmark, null, ex));
            }
        }

        ReportPrinter.Print(Console.Out, outcomes);
        var failed = outcomes.Any(o => o.Item2 is null || o.Item2.Figures.Any(f => f.Passed == false) || o.Item2.Ratios.Any(r => r.Passed == false));
        Console.WriteLine();
        Console.WriteLine(failed ? "RESULT: FAIL" : "RESULT: PASS");
        return failed ? 1 : 0;
    }
}
