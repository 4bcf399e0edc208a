using FinancePortal.Infrastructure.Operations;

namespace FinancePortal.Web.Operations;

/// <summary>
/// <c>dotnet FinancePortal.Web.dll backup &lt;folder&gt;</c> (while the portal runs) and
/// <c>dotnet FinancePortal.Web.dll restore &lt;folder&gt; [--overwrite]</c> (portal stopped), with the portal's own
/// settings (appsettings, environment variables, further --Key=Value arguments). See docs/operations.md.
/// </summary>
public static class BackupCommand
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "backup" or "restore";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync("Usage: FinancePortal.Web backup <folder> | restore <folder> [--overwrite] [--Key=Value settings]");
            return 2;
        }

        var overwrite = args.Contains("--overwrite");
        var settings = args.Skip(2).Where(a => a != "--overwrite").ToArray();
        var builder = WebApplication.CreateBuilder(settings);
        try
        {
            var manifest = args[0] == "backup"
                ? await PortalBackup.BackupAsync(builder.Configuration, builder.Environment.ContentRootPath, args[1])
                : await PortalBackup.RestoreAsync(builder.Configuration, builder.Environment.ContentRootPath, args[1], overwrite);
            Console.WriteLine($"{args[0]} done: database {manifest.DatabaseBytes:N0} bytes, {manifest.Files:N0} stored files ({manifest.FileBytes:N0} bytes), taken {manifest.CreatedUtc:u}.");
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException)
        {
            await Console.Error.WriteLineAsync($"{args[0]} failed: {ex.Message}");
            return 1;
        }
    }
}
