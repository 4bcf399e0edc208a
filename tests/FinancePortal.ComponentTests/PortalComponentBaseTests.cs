using System.Globalization;
using Bunit;
using FinancePortal.Application;
using FinancePortal.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace FinancePortal.ComponentTests;

/// <summary>The pages' one busy/exception helper: busy is always reset, and each kind of error shows one message from the resources.</summary>
public class PortalComponentBaseTests : BunitContext
{
    private const string Concurrency = "This record was changed by someone else. Reload it and apply your change again.";
    private const string Outage = "The database is unavailable; your changes were not saved. Try again in a moment.";

    public PortalComponentBaseTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en");
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization(options => options.ResourcesPath = "Resources");
    }

    private (IRenderedComponent<MudSnackbarProvider> Snackbars, IRenderedComponent<ActionHost> Host) Render(Func<Task> action)
    {
        var snackbars = Render<MudSnackbarProvider>();
        var host = Render<ActionHost>(p => p.Add(h => h.Action, action));
        return (snackbars, host);
    }

    private static bool Disabled(IRenderedComponent<ActionHost> host) => host.Find("button").HasAttribute("disabled");

    [Fact]
    public async Task Busy_is_set_while_the_action_runs_and_reset_after_it_throws()
    {
        var running = new TaskCompletionSource();
        var (snackbars, host) = Render(() => running.Task);

        var click = host.Find("button").ClickAsync(new());
        host.WaitForAssertion(() => Assert.True(Disabled(host)));

        running.SetException(new ValidationFailedException("Name", "Give the scorecard a name."));
        await click;

        host.WaitForAssertion(() => Assert.False(Disabled(host)));
        Assert.Equal("Give the scorecard a name.", host.Find("[data-testid=error]").TextContent);
        Assert.Equal("Give the scorecard a name.", host.Instance.Fields["Name"]);
        snackbars.WaitForAssertion(() => Assert.Contains("Give the scorecard a name.", snackbars.Markup));
    }

    [Fact]
    public async Task An_unexpected_error_is_not_swallowed_but_busy_is_reset()
    {
        var (_, host) = Render(() => throw new InvalidOperationException("a bug"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Find("button").ClickAsync(new()));

        host.Render();
        Assert.False(Disabled(host));
        Assert.Null(host.Instance.Error);
    }

    public static TheoryData<string, string> ErrorKinds() => new()
    {
        { "validation", "Give the reason (at least 10 characters)." },
        { "forbidden", "Only the assigned reviewer can do this." },
        { "not-found", "Alert not found." },
        { "concurrency", Concurrency },
        { "ef-concurrency", Concurrency },
        { "outage", Outage },
    };

    private static Exception Make(string kind) => kind switch
    {
        "validation" => new ValidationFailedException("Reason", "Give the reason (at least 10 characters)."),
        "forbidden" => new ForbiddenException("Only the assigned reviewer can do this."),
        "not-found" => new NotFoundException("Alert not found."),
        "concurrency" => new ConcurrencyConflictException(),
        "ef-concurrency" => new DbUpdateConcurrencyException("The row changed."),
        "outage" => new DatabaseUnavailableException(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(ErrorKinds))]
    public async Task Each_kind_of_error_shows_its_message_as_a_snackbar(string kind, string message)
    {
        var (snackbars, host) = Render(() => throw Make(kind));

        await host.Find("button").ClickAsync(new());

        snackbars.WaitForAssertion(() => Assert.Contains(message, snackbars.Find(".mud-snackbar").TextContent));
        Assert.Single(snackbars.FindAll(".mud-snackbar"));
        Assert.Equal(message, host.Instance.Error);
        Assert.False(Disabled(host));
        Assert.False(host.Instance.Completed);
    }

    [Theory]
    [InlineData("concurrency", "此记录已被他人修改。请重新加载后再次提交您的更改。")]
    [InlineData("outage", "数据库暂时不可用，您的更改未保存。请稍后重试。")]
    public async Task The_messages_come_from_the_resources_in_Chinese_too(string kind, string message)
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        var (snackbars, host) = Render(() => throw Make(kind));

        await host.Find("button").ClickAsync(new());

        snackbars.WaitForAssertion(() => Assert.Contains(message, snackbars.Markup));
        Assert.Equal(message, host.Instance.Error);
    }

    [Fact]
    public async Task A_completed_action_shows_its_success_message_and_clears_the_last_error()
    {
        var fail = true;
        var (snackbars, host) = Render(() => fail ? throw new ConcurrencyConflictException() : Task.CompletedTask);
        await host.Find("button").ClickAsync(new());
        Assert.Equal(Concurrency, host.Instance.Error);

        fail = false;
        await host.Find("button").ClickAsync(new());

        snackbars.WaitForAssertion(() => Assert.Contains("Done.", snackbars.Markup));
        Assert.Null(host.Instance.Error);
        Assert.True(host.Instance.Completed);
    }

    /// <summary>A page with one action, run through the helper.</summary>
    public sealed class ActionHost : PortalComponentBase
    {
        [Parameter]
        public Func<Task> Action { get; set; } = () => Task.CompletedTask;

        public string? Error => ActionError;

        public IReadOnlyDictionary<string, string> Fields => FieldErrors;

        public bool Completed { get; private set; }

        private async Task GoAsync() => Completed = await RunAsync(Action, "Done.");

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "disabled", Busy);
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, GoAsync));
            builder.AddContent(3, "Go");
            builder.CloseElement();
            builder.OpenElement(4, "span");
            builder.AddAttribute(5, "data-testid", "error");
            builder.AddContent(6, ActionError);
            builder.CloseElement();
        }
    }
}
