using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using FinancePortal.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace FinancePortal.ComponentTests;

/// <summary>
/// bunit context with the portal's real wiring: MudBlazor (loose JS interop), English resources, the real
/// authorization policies, and the real services over a private copy of the seeded demo database.
/// <see cref="SignInAsAsync"/> makes a demo user both the services' current user and the cascading authentication state.
/// </summary>
public abstract class PortalComponentTestBase : BunitContext, IAsyncLifetime
{
    private string? _databasePath;
    private IRenderedComponent<MudPopoverProvider>? _popovers;
    private IRenderedComponent<MudDialogProvider>? _dialogs;
    private IRenderedComponent<MudSnackbarProvider>? _snackbars;

    protected PortalComponentTestBase()
    {
        // Resources and money formats are asserted in English whatever the machine's locale.
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en");
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");

        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization(options => options.ResourcesPath = "Resources");

        // bunit's AddAuthorization gives the cascading authentication state and a settable principal, but its fake
        // IAuthorizationService only knows policy names. Replace it with the real service and policy provider so that
        // AuthorizeView and NavMenu evaluate the portal's own policies against the principal's roles.
        Auth = AddAuthorization();
        Services.AddAuthorizationCore(Policies.Configure);
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        Services.AddTransient<IAuthorizationService, DefaultAuthorizationService>();
    }

    /// <summary>bunit's authentication state (the principal seen by AuthorizeView and cascading parameters).</summary>
    protected BunitAuthorizationContext Auth { get; }

    /// <summary>
    /// The portal's clock. It is also the <see cref="TimeProvider"/> MudBlazor resolves for its timers, so a debounced
    /// input only reports its value once the test advances this clock.
    /// </summary>
    protected FakeTimeProvider Clock => Services.GetRequiredService<FakeTimeProvider>();

    public virtual async Task InitializeAsync()
    {
        _databasePath = await TestDatabase.CreateSeededCopyAsync();
        Services.AddPortalForTests(_databasePath);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // MudBlazor's services are only async-disposable: dispose the context asynchronously before xunit calls Dispose().
        await DisposeAsync();
        if (_databasePath is not null)
        {
            TestDatabase.Delete(_databasePath);
        }
    }

    /// <summary>Acts as the demo user with this e-mail: the services' current user and the signed-in principal.</summary>
    protected async Task<UserContext> SignInAsAsync(string email)
    {
        UserContext user;
        await using (var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope())
        {
            user = await DemoUserAsync(scope.ServiceProvider, email);
        }

        SignInAs(user);
        return user;
    }

    /// <summary>
    /// Acts as an explicit user context, e.g. one whose id has no user row. The principal carries the id as
    /// <see cref="ClaimTypes.NameIdentifier"/>, the user name and the roles, as the portal's sign-in cookie does.
    /// </summary>
    protected void SignInAs(UserContext user)
    {
        Services.GetRequiredService<TestCurrentUser>().User = user;
        if (user.UserId is null)
        {
            Auth.SetNotAuthorized();
            return;
        }

        Auth.SetAuthorized(user.UserName);
        Auth.SetRoles([.. user.Roles]);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
    }

    /// <summary>A separate scope of the test's services acting as a demo user, to arrange data through the real services.</summary>
    protected async Task<ActingScope> ActAsAsync(string email)
    {
        var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var user = await DemoUserAsync(scope.ServiceProvider, email);
        scope.ServiceProvider.GetRequiredService<TestCurrentUser>().User = user;
        return new ActingScope(scope, user);
    }

    /// <summary>The demo user's real id and roles: the data layer resolves the data scope from the user row by id.</summary>
    private static async Task<UserContext> DemoUserAsync(IServiceProvider services, string email)
    {
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var row = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No demo user {email}.");
        var roles = await users.GetRolesAsync(row);
        return new UserContext(row.Id, row.UserName!, roles.Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>MudBlazor's popover provider of the last <see cref="RenderWithProviders{TComponent}"/>: open selects and menus render here.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers =>
        _popovers ?? throw new InvalidOperationException("Render with RenderWithProviders or RenderProviders first.");

    /// <summary>MudBlazor's dialog provider of the last render: dialogs opened through <see cref="IDialogService"/> render here.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs =>
        _dialogs ?? throw new InvalidOperationException("Render with RenderWithProviders or RenderProviders first.");

    /// <summary>MudBlazor's snackbar provider of the last render: messages added through <see cref="ISnackbar"/> render here.</summary>
    protected IRenderedComponent<MudSnackbarProvider> Snackbars =>
        _snackbars ?? throw new InvalidOperationException("Render with RenderWithProviders or RenderProviders first.");

    /// <summary>
    /// Renders <typeparamref name="TComponent"/> after MudBlazor's popover, dialog and snackbar providers, as the layout does.
    /// </summary>
    protected IRenderedComponent<TComponent> RenderWithProviders<TComponent>(params (string Name, object? Value)[] parameters)
        where TComponent : IComponent
    {
        var host = Render(builder =>
        {
            AddProviders(builder);
            builder.OpenComponent<TComponent>(10);
            foreach (var (name, value) in parameters)
            {
                builder.AddComponentParameter(11, name, value);
            }

            builder.CloseComponent();
        });
        _popovers = host.FindComponent<MudPopoverProvider>();
        _dialogs = host.FindComponent<MudDialogProvider>();
        _snackbars = host.FindComponent<MudSnackbarProvider>();
        return host.FindComponent<TComponent>();
    }

    /// <summary>Renders only MudBlazor's providers (for components opened through <see cref="IDialogService"/>).</summary>
    protected void RenderProviders()
    {
        var host = Render(AddProviders);
        _popovers = host.FindComponent<MudPopoverProvider>();
        _dialogs = host.FindComponent<MudDialogProvider>();
        _snackbars = host.FindComponent<MudSnackbarProvider>();
    }

    /// <summary>Opens a MudSelect (MudBlazor opens on mouse-down) and clicks the item with this text.</summary>
    protected void Choose(AngleSharp.Dom.IElement inputControl, string itemText)
    {
        inputControl.MouseDown();
        Popovers.WaitForAssertion(() => Assert.Contains(OpenListItems(), i => i.TextContent.Trim() == itemText), TimeSpan.FromSeconds(10));
        OpenListItems().First(i => i.TextContent.Trim() == itemText).Click();
    }

    private IEnumerable<AngleSharp.Dom.IElement> OpenListItems() => Popovers.FindAll(".mud-popover-open .mud-list-item");

    private static void AddProviders(RenderTreeBuilder builder)
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    }
}
