using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;
using PrivateCa.Trust.Internal;

namespace PrivateCa;

/// <summary>
/// The trust engine without a handshake: the same verdict and explanation a handler from
/// <see cref="TrustedHandlerFactory"/> with the same options gives, for a chain from a file, another TLS stack
/// (raw <see cref="System.Net.Security.SslStream"/>, gRPC over custom transports, MQTT) or a tool.
/// </summary>
public sealed class CustomRootTrustValidator
{
    private readonly TrustEngine _engine;

    /// <summary>Loads what the options name and prepares the engine.</summary>
    /// <param name="options">What to trust and how to check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A host pattern or pin is malformed.</exception>
    /// <exception cref="CertificateBundleException">No bundle is configured, or it cannot be loaded.</exception>
    public CustomRootTrustValidator(PrivateCaTrustOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sources = TrustSources.Resolve(options, Environment.GetEnvironmentVariable);
        var snapshot = TrustSnapshot.Load(sources, new BundleLoadOptions());
        _engine = new TrustEngine(options, () => snapshot);
    }

    internal CustomRootTrustValidator(TrustEngine engine) => _engine = engine;

    /// <summary>Validates a server certificate for a host.</summary>
    /// <param name="serverCertificate">The server's own certificate.</param>
    /// <param name="presentedChain">The other certificates the server sent (may be empty).</param>
    /// <param name="host">The DNS name or IP address the client asked for.</param>
    /// <param name="verificationTime">The instant to validate at; default now.</param>
    /// <returns>The verdict, with the explanation a <see cref="CertificateTrustException"/> would carry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serverCertificate"/> or <paramref name="presentedChain"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="host"/> is null, empty or blanks.</exception>
    public TrustVerdict Validate(X509Certificate2 serverCertificate, X509Certificate2Collection presentedChain, string host, DateTimeOffset? verificationTime = null)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        ArgumentNullException.ThrowIfNull(presentedChain);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);

        // The handshake carries the IDNA form of a Unicode name; judge the same name here.
        host = HostScope.ToAscii(host);
        if (!_engine.Scope.Contains(host))
        {
            return OutOfScope(serverCertificate, presentedChain, host, verificationTime);
        }

        using var evaluation = _engine.Evaluate(serverCertificate, presentedChain, host, verificationTime, platformErrors: null, platformChain: null);
        return evaluation.ToVerdict(keepChain: true);
    }

    private TrustVerdict OutOfScope(X509Certificate2 serverCertificate, X509Certificate2Collection presentedChain, string host, DateTimeOffset? verificationTime)
    {
        // Hosts outside Hosts keep ordinary system trust, as a handler leaves them.
        using var evaluation = _engine.EvaluateSystemOnly(serverCertificate, presentedChain, host, verificationTime);
        return evaluation.ToVerdict(keepChain: true);
    }
}
