using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace PrivateCa.Integration.Internal;

/// <summary>Tells the options system that a client's PrivateCa options change when their configuration reloads.</summary>
/// <param name="name">The client name, or null for every client (ConfigureHttpClientDefaults).</param>
/// <param name="configuration">The bound configuration, or a way to find it in the container.</param>
internal sealed class SectionChangeTokenSource(string? name, Func<IConfiguration?> configuration) : IOptionsChangeTokenSource<PrivateCaTrustOptions>
{
    private static readonly IChangeToken Never = new CancellationChangeToken(CancellationToken.None);

    public string? Name => name;

    public IChangeToken GetChangeToken() => configuration()?.GetReloadToken() ?? Never;
}
