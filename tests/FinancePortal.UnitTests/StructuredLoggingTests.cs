using System.Text.RegularExpressions;

namespace FinancePortal.UnitTests;

/// <summary>
/// An analyzer in test form: log calls in the portal's source pass a message template with named properties, never an
/// interpolated or concatenated string (which would flatten the properties the JSON logs and log search rely on).
/// </summary>
public partial class StructuredLoggingTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FinancePortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    public static IEnumerable<(string File, int Line, string Text)> LogCalls()
    {
        var src = Path.Combine(RepoRoot(), "src");
        foreach (var file in Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (LogCall().IsMatch(lines[i]))
                {
                    yield return (Path.GetRelativePath(src, file), i + 1, lines[i].Trim());
                }
            }
        }
    }

    [Fact]
    public void Log_calls_use_message_templates_not_interpolated_strings()
    {
        var calls = LogCalls().ToList();
        Assert.NotEmpty(calls); // the scan finds the portal's log calls (e.g. the seeder's)

        var offending = calls.Where(c => Interpolated().IsMatch(c.Text)).Select(c => $"{c.File}:{c.Line}: {c.Text}").ToList();

        Assert.True(offending.Count == 0, "Use a template with named properties:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void The_scan_recognises_an_interpolated_log_call()
    {
        Assert.Matches(LogCall(), "logger.LogInformation($\"Signed {id}\");");
        Assert.Matches(Interpolated(), "logger.LogInformation($\"Signed {id}\");");
        Assert.Matches(Interpolated(), "_logger.LogWarning(\"Signed \" + id);");
        Assert.DoesNotMatch(Interpolated(), "logger.LogInformation(\"Signed {SubmissionId}\", id);");
    }

    [GeneratedRegex(@"\b_?[lL]ogger\.Log(Trace|Debug|Information|Warning|Error|Critical)?\(")]
    private static partial Regex LogCall();

    [GeneratedRegex(@"\.Log(Trace|Debug|Information|Warning|Error|Critical)?\(([^,]*,\s*)?(\$@?""|@\$""|""[^""]*""\s*\+)")]
    private static partial Regex Interpolated();
}
