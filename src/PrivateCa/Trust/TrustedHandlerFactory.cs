using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Trust.Internal;

namespace PrivateCa;

/// <summary>
/// Makes primary HTTP handlers whose every TLS handshake is judged by the PrivateCa trust engine: the bundle's
/// anchors, host name, validity, usage, constraints and signatures, with an explained
/// <see cref="CertificateTrustException"/> on rejection. There is no way to make it accept any certificate.
/// </summary>
public sealed class TrustedHandlerFactory
{
    private readonly TrustEngine _engine;
    private readonly X509Certificate2? _clientCertificate;

    /// <summary>Loads what the options name and prepares the engine.</summary>
    /// <param name="options">What to trust and how to check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A host pattern or pin is malformed, or a client key is set without a certificate.</exception>
    /// <exception cref="CertificateBundleException">No bundle is configured, it cannot be loaded, or the client certificate cannot be loaded.</exception>
    public TrustedHandlerFactory(PrivateCaTrustOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var snapshot = TrustSnapshot.Load(options, Environment.GetEnvironmentVariable);
        _engine = new TrustEngine(options, () => snapshot);
        _clientCertificate = ClientCertificate.Load(options);
    }

    internal TrustedHandlerFactory(TrustEngine engine, X509Certificate2? clientCertificate)
    {
        _engine = engine;
        _clientCertificate = clientCertificate;
    }

    /// <summary>Creates a <see cref="SocketsHttpHandler"/> whose <see cref="SocketsHttpHandler.SslOptions"/> use the engine.</summary>
    /// <returns>A new handler; the caller owns it.</returns>
    public SocketsHttpHandler CreateSocketsHttpHandler()
    {
        var handler = new SocketsHttpHandler();
        ConfigureSslOptions(handler.SslOptions);
        return handler;
    }

    /// <summary>Creates an <see cref="HttpClientHandler"/> whose server certificate callback uses the engine.</summary>
    /// <returns>A new handler; the caller owns it.</returns>
    public HttpClientHandler CreateHttpClientHandler()
    {
        var handler = new HttpClientHandler
        {
            CheckCertificateRevocationList = _engine.RevocationMode != X509RevocationMode.NoCheck,
            ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) =>
                _engine.ValidateHandshake(request.RequestUri?.IdnHost ?? string.Empty, certificate, chain, errors, request.RequestUri?.Port),
        };
        if (_clientCertificate is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(_clientCertificate);
        }

        return handler;
    }

    internal void ConfigureSslOptions(SslClientAuthenticationOptions options)
    {
        options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            _engine.ValidateHandshake(sender is SslStream stream ? stream.TargetHostName : string.Empty, certificate, chain, errors);

        if (_engine.Scope.IsEverything && !_engine.SystemFirst(_engine.Snapshot))
        {
            // Every host is judged by the engine, so the platform's own build only needs to be cheap:
            // no system store, no downloads, no revocation. The engine builds the one chain that counts.
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
        }
        else if (_engine.Scope.IsEverything)
        {
            // The system's verdict counts first: build it with the revocation setting the user chose.
            options.CertificateRevocationCheckMode = _engine.RevocationMode;
        }

        if (_clientCertificate is not null)
        {
            options.ClientCertificates = [_clientCertificate];
        }
    }
}
