using FinancePortal.Application.Domain;
using FinancePortal.Application.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FinancePortal.TestSupport;

/// <summary>The portal's services over a private copy of the seeded demo database; act as any demo user.</summary>
public sealed class PortalServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private PortalServices(ServiceProvider provider, string databasePath)
    {
        _provider = provider;
        DatabasePath = databasePath;
    }

    public string DatabasePath { get; }

    public IServiceProvider Provider => _provider;

    public FakeTimeProvider Clock => _provider.GetRequiredService<FakeTimeProvider>();

    /// <param name="settings">Extra configuration (e.g. <c>Database:SqliteRetryOnBusy</c>).</param>
    /// <param name="configure">Extra services (e.g. an EF Core interceptor that simulates a lost database).</param>
    public static async Task<PortalServices> CreateAsync(bool seedDemo = true, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var path = seedDemo ? await TestDatabase.CreateSeededCopyAsync() : await TestDatabase.CreateEmptyCopyAsync();
        var services = new ServiceCollection();
        services.AddPortalForTests(path, seedDemo, settings);
        configure?.Invoke(services);
        return new PortalServices(services.BuildServiceProvider(), path);
    }

    /// <summary>
    /// The portal's services over an existing database file (e.g. one another process was writing when it was killed).
    /// Disposing deletes the file, as for <see cref="CreateAsync"/>.
    /// </summary>
    public static PortalServices Open(string databasePath, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddPortalForTests(databasePath, seedDemo: true);
        configure?.Invoke(services);
        return new PortalServices(services.BuildServiceProvider(), databasePath);
    }

    /// <summary>A scope whose services act as the demo user with this e-mail (e.g. <c>operator@financeportal.demo</c>).</summary>
    public async Task<ActingScope> AsAsync(string email)
    {
        var scope = _provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        var roles = await users.GetRolesAsync(user);
        var context = new UserContext(user.Id, user.UserName!, roles.Order(StringComparer.Ordinal).ToArray());
        scope.ServiceProvider.GetRequiredService<TestCurrentUser>().User = context;
        return new ActingScope(scope, context);
    }

    /// <summary>A scope acting as an explicit user context (system, anonymous, a forged id).</summary>
    public ActingScope As(UserContext user)
    {
        var scope = _provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TestCurrentUser>().User = user;
        return new ActingScope(scope, user);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        TestDatabase.Delete(DatabasePath);
    }
}

public sealed class ActingScope(AsyncServiceScope scope, UserContext user) : IAsyncDisposable
{
    public UserContext User { get; } = user;

    public IServiceProvider Services => scope.ServiceProvider;

    public T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
