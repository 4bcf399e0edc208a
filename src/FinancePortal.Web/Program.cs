using System.Text.Encodings.Web;
using System.Text.Unicode;
using FinancePortal.Application;
using FinancePortal.Infrastructure;
using FinancePortal.Infrastructure.Data;
using FinancePortal.Web.Components;
using FinancePortal.Web.Endpoints;
using FinancePortal.Web.Localization;
using FinancePortal.Web.Operations;
using FinancePortal.Web.Security;
using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;

// Operations commands (docs/operations.md): "backup <folder>" while the portal runs, "restore <folder>" while it is stopped.
if (BackupCommand.IsCommand(args))
{
    return await BackupCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddTransient<MudBlazor.MudLocalizer, FinancePortal.Web.Localization.ResourceMudLocalizer>();
builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
builder.Services.AddHttpContextAccessor();

// Chinese UI text goes out as UTF-8, not as numeric character references.
builder.Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));

builder.Services.AddPortalApplication();
builder.Services.AddSingleton<FinancePortal.Application.IDomainText, FinancePortal.Web.Localization.ResourceDomainText>();
builder.Services.AddPortalInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddPortalSecurity();
builder.Services.AddPortalHardening(builder.Configuration);
builder.Services.AddPortalKeyProtection(builder.Configuration, builder.Environment);
builder.AddPortalTelemetry();

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
}

// Behind a TLS-terminating proxy (ForwardedHeaders section): the client's scheme, host and address, before anything
// looks at them.
app.UsePortalForwardedHeaders();
app.UsePortalHardening();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

// A lost database answers 503 with a clear message (before authentication: validating the cookie reads the database).
app.UseMiddleware<DatabaseUnavailableMiddleware>();

var supportedCultures = app.Configuration.GetSection("Localization:SupportedCultures").Get<string[]>() ?? CultureEndpoints.Supported;
app.UseRequestLocalization(options => options
    .SetDefaultCulture(app.Configuration["Localization:DefaultCulture"] ?? "en")
    .AddSupportedCultures(supportedCultures)
    .AddSupportedUICultures(supportedCultures));

// The sign-in page's rate-limiting policy (Security/SignInRateLimiting.cs): routing has chosen the endpoint already.
app.UseRateLimiter();

// The portal's own brand assets (logo, favicon, CSS) from wwwroot-assets/, copied next to the build output.
app.UseStaticFiles(new StaticFileOptions
{
    FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets")),
    RequestPath = "/brand",
});

app.UseAuthentication();
app.UseMiddleware<CurrentUserMiddleware>();
app.UseAuthorization();
app.UseMiddleware<ApiCallAudit>();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();
app.MapCultureEndpoints();
app.MapAccountEndpoints();
app.MapDocumentEndpoints();
app.MapRectificationEndpoints();
app.MapLoanTapeEndpoints();
app.MapReportEndpoints();
app.MapExportEndpoints();
app.MapApiEndpoints();

await app.RunAsync();
return 0;

/// <summary>The web host's entry point; public so tests can host the portal with WebApplicationFactory.</summary>
public partial class Program;
