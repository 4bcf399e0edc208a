using FinancePortal.Application.Security;

namespace FinancePortal.TestSupport;

/// <summary>The acting user of a test scope; set it, then resolve services from the same scope.</summary>
public sealed class TestCurrentUser : ICurrentUser
{
    public UserContext User { get; set; } = UserContext.Anonymous;

    public Task<UserContext> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(User);
}
