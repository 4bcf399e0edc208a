using FinancePortal.Application;
using FinancePortal.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace FinancePortal.Web.Components.Shared;

/// <summary>
/// The one busy/exception helper for pages and dialogs: <see cref="RunAsync"/> sets <see cref="Busy"/> while a user's
/// action runs and always clears it, and turns the errors a user can act on into one message, shown as a snackbar
/// and kept in <see cref="ActionError"/> (and <see cref="FieldErrors"/>) for forms that also show it in place.
/// Anything else is a bug and goes to the error boundary.
/// </summary>
public abstract class PortalComponentBase : ComponentBase
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    [Inject]
    private ISnackbar Toasts { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Texts { get; set; } = default!;

    /// <summary>True while an action runs: disable the buttons that start one.</summary>
    protected bool Busy { get; private set; }

    /// <summary>The message of the last action that failed, or null.</summary>
    protected string? ActionError { get; set; }

    /// <summary>The field errors of the last action refused by validation (field name to message).</summary>
    protected IReadOnlyDictionary<string, string> FieldErrors { get; set; } = NoErrors;

    /// <summary>
    /// Runs a user's action: busy while it runs (always reset), <paramref name="done"/> as a success snackbar when given,
    /// and the message of a validation, concurrency, authorization or outage error as an error snackbar.
    /// <paramref name="describe"/> names a page's own failures (e.g. an upload that broke off), or returns null.
    /// </summary>
    /// <returns>True when the action completed.</returns>
    protected async Task<bool> RunAsync(Func<Task> action, string? done = null, Func<Exception, string?>? describe = null)
    {
        Busy = true;
        ActionError = null;
        FieldErrors = NoErrors;
        try
        {
            await action();
            if (done is not null)
            {
                Toasts.Add(done, Severity.Success);
            }

            return true;
        }
        catch (Exception ex) when ((describe?.Invoke(ex) ?? ActionErrors.MessageFor(ex, Texts)) is { } message)
        {
            ActionError = message;
            FieldErrors = ex is ValidationFailedException validation ? validation.Errors : NoErrors;
            Toasts.Add(message, Severity.Error);
            return false;
        }
        finally
        {
            Busy = false;
        }
    }
}

/// <summary>The message a user sees for each kind of error they can act on, from the portal's resources.</summary>
public static class ActionErrors
{
    /// <summary>The resource key shown when someone else saved the same record first.</summary>
    public const string Concurrency = "This record was changed by someone else. Reload it and apply your change again.";

    /// <summary>The message for <paramref name="ex"/>, or null when it is not an error the user can act on.</summary>
    public static string? MessageFor(Exception ex, IStringLocalizer texts) => ex switch
    {
        ValidationFailedException or ForbiddenException or NotFoundException => texts[ex.Message].Value,
        ConcurrencyConflictException or DbUpdateConcurrencyException => texts[Concurrency].Value,
        DatabaseUnavailableException => texts[DatabaseUnavailableException.UserMessage].Value,
        _ => null,
    };
}
