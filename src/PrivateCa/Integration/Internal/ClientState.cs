using PrivateCa.Trust.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>What the registry keeps for one client name: the options in force, their sources and mTLS certificate, and the slot handlers read.</summary>
internal sealed class ClientState(string name, ClientTrustSlot slot, TrustedHandlerFactory factory)
{
    public string Name => name;

    public ClientTrustSlot Slot => slot;

    public TrustedHandlerFactory Factory => factory;

    public required PrivateCaTrustOptions Options { get; set; }

    public required LazyTrustSource Source { get; set; }

    public ReloadingClientCertificate? Certificate { get; set; }

    /// <summary>Why the latest changed options were rejected (the last good ones serve); null when the latest change was applied.</summary>
    public string? RejectedOptions { get; set; }
}
