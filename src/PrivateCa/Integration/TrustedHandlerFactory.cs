using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PrivateCa.Bundle.Internal;
using PrivateCa.Integration.Internal;
using PrivateCa.Trust.Internal;

namespace PrivateCa;

/// <summary>
/// Makes primary HTTP handlers whose every TLS handshake is judged by the PrivateCa trust engine: the bundle's
/// anchors, host name, validity, usage, constraints and signatures, with an explained
/// <see cref="CertificateTrustException"/> on rejection. There is no way to make it accept any certificate. With
/// <see cref="PrivateCaTrustOptions.ReloadOnChange"/> (the default) it follows its bundle on disk as the
/// <c>IHttpClientFactory</c> path does — Kubernetes' '..data' swap included, a bad new bundle rejected and the last good
/// one kept — for new handshakes of every handler it made, until it is disposed.
/// </summary>
public sealed class TrustedHandlerFactory : IDisposable
{
    private readonly ClientTrustSlot _slot;
    private readonly ReloadingTrustSource? _source;
    private readonly ReloadingClientCertificate? _identity;
    private readonly PrivateCaMetrics? _metrics;

    /// <summary>Loads what the options name, prepares the engine and, with <see cref="PrivateCaTrustOptions.ReloadOnChange"/>,
    /// starts following the bundle's files and folders and the environment variables that name them.</summary>
    /// <param name="options">What to trust and how to check, read here: changing them afterwards changes nothing in this factory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A host pattern or pin is malformed, or a client key is set without a certificate.</exception>
    /// <exception cref="CertificateBundleException">No bundle is configured, it cannot be loaded, or the client certificate cannot be loaded.</exception>
    public TrustedHandlerFactory(PrivateCaTrustOptions options)
        : this(options, loggerFactory: null)
    {
    }

    /// <summary>As <see cref="TrustedHandlerFactory(PrivateCaTrustOptions)"/>, writing the same log lines and metrics as the
    /// <c>IHttpClientFactory</c> path (category "PrivateCa": rejected handshakes, reloads, client-certificate rotation,
    /// withdrawn connections, stale CRLs).</summary>
    /// <param name="options">What to trust and how to check, read here: changing them afterwards changes nothing in this factory.</param>
    /// <param name="loggerFactory">Where to log; null logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A host pattern or pin is malformed, or a client key is set without a certificate.</exception>
    /// <exception cref="CertificateBundleException">No bundle is configured, it cannot be loaded, or the client certificate cannot be loaded.</exception>
    public TrustedHandlerFactory(PrivateCaTrustOptions options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = loggerFactory?.CreateLogger("PrivateCa") ?? NullLogger.Instance;
        var sources = TrustSources.Resolve(options, Environment.GetEnvironmentVariable);
        if (options.ClientCertificatePath is null && options.ClientKeyPath is not null)
        {
            ClientCertificate.Load(options); // throws the error that names the missing certificate
        }

        // The sources are decided once, as the DI path decides them: a reload re-reads their files and, where they come
        // from the environment, the variables; never the options object, which the caller may reuse for another factory.
        var follow = options.ReloadOnChange && sources.Watched;
        ReloadingTrustSource? source = null;
        ReloadingClientCertificate? identity = null;
        var metrics = new PrivateCaMetrics(null);
        try
        {
            if (options.ClientCertificatePath is not null)
            {
                identity = new ReloadingClientCertificate(options.ClientCertificatePath, options.ClientKeyPath, options.ReloadOnChange, TimeProvider.System, logger);
                if (identity.Current is null)
                {
                    throw identity.LastException!;
                }
            }

            if (follow)
            {
                source = new ReloadingTrustSource(sources, () => sources.Redecide(Environment.GetEnvironmentVariable),
                    s => TrustSnapshot.Load(s, new BundleLoadOptions(), rereads: s.Watched), TimeProvider.System, logger, metrics);
                _slot = new ClientTrustSlot(Trust(options, sources, () => source.Current, identity, logger, metrics));
            }
            else
            {
                var loaded = TrustSnapshot.Load(sources, new BundleLoadOptions());
                _slot = new ClientTrustSlot(Trust(options, sources, () => loaded, identity, logger, metrics));
            }

            foreach (var stale in _slot.Current.Engine.Snapshot.RevocationLists.Stale(DateTimeOffset.UtcNow))
            {
                PrivateCaLog.BundleWarning(logger, RevocationLists.StaleText(stale));
            }

            _source = source;
            _identity = identity;
            _metrics = metrics;
        }
        catch
        {
            // Nothing started here may outlive a constructor that throws (a bad host pattern, a bundle that does not load).
            source?.Dispose();
            identity?.Dispose();
            metrics.Dispose();
            throw;
        }
    }

    private static ClientTrust Trust(PrivateCaTrustOptions options, TrustSources sources, Func<TrustSnapshot> snapshot, ReloadingClientCertificate? identity, ILogger logger, PrivateCaMetrics metrics) =>
        new(options, sources, snapshot, identity, TrustObservers.Verdicts(logger, metrics, sources.Text))
        {
            ConnectionWithdrawn = TrustObservers.Withdrawn(logger, metrics),
        };

    internal TrustedHandlerFactory(ClientTrustSlot slot) => _slot = slot;

    /// <summary>The trust in force (for tests).</summary>
    internal TrustSnapshot CurrentSnapshot => _slot.Current.Engine.Snapshot;

    /// <summary>How many times the bundle was read (the first load included); 1 when it is not followed.</summary>
    internal int LoadCount => _source?.LoadCount ?? 1;

    /// <summary>
    /// Stops following the bundle. Handlers made by this factory keep working with the last trust it loaded; nothing they
    /// judge changes after this.
    /// </summary>
    public void Dispose()
    {
        _source?.Dispose();
        _identity?.Dispose();
        _metrics?.Dispose();
    }

    /// <summary>Creates a <see cref="SocketsHttpHandler"/> whose <see cref="SocketsHttpHandler.SslOptions"/> use the engine.</summary>
    /// <returns>A new handler; the caller owns it.</returns>
    public SocketsHttpHandler CreateSocketsHttpHandler()
    {
        // A pooled connection is judged once: bounded, as the DI path bounds it, so a rotation reaches every request in time.
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime };
        Configure(handler, client: null);
        return handler;
    }

    /// <summary>How long a pooled connection of a handler made here serves requests; the IHttpClientFactory path uses the same.</summary>
    internal static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Creates an <see cref="HttpClientHandler"/> whose server certificate callback uses the engine.</summary>
    /// <returns>A new handler; the caller owns it.</returns>
    public HttpClientHandler CreateHttpClientHandler()
    {
        var handler = new HttpClientHandler();
        Configure(handler, client: null);

        // Bounded as a SocketsHttpHandler's: HTTP/2 connections (gRPC) are not re-judged per request, so they must end.
        PlatformPolicy.Underlying(handler, Name(client: null)).PooledConnectionLifetime = PooledConnectionLifetime;
        return handler;
    }

    /// <summary>Applies trust to a primary handler that already carries other settings (a proxy, a ConnectCallback, …), keeping them.</summary>
    /// <exception cref="InvalidOperationException">The handler is of a kind PrivateCa cannot configure, or already decides trust itself.</exception>
    internal void Configure(HttpMessageHandler handler, string? client)
    {
        switch (handler)
        {
            case SocketsHttpHandler sockets:
                Configure(sockets, client);
                break;
            case HttpClientHandler classic:
                Configure(classic, client);
                break;
            default:
                throw new InvalidOperationException(
                    $"PrivateCa cannot apply trust to {Name(client)}: its primary handler is a {handler.GetType().FullName}, and PrivateCa configures only a SocketsHttpHandler or an HttpClientHandler. "
                    + "Make the primary handler one of those (ConfigurePrimaryHttpMessageHandler / UseSocketsHttpHandler), or remove AddPrivateCaTrust from this client.");
        }
    }

    private void Configure(SocketsHttpHandler handler, string? client)
    {
        var ssl = handler.SslOptions;
        if (ssl.RemoteCertificateValidationCallback is not null)
        {
            throw AlreadyDecided(client, "SocketsHttpHandler.SslOptions.RemoteCertificateValidationCallback");
        }

        if (ssl.CertificateChainPolicy is not null)
        {
            // The platform's verdict under a user's policy (custom roots, AllowUnknownCertificateAuthority) would pass for the system's.
            throw AlreadyDecided(client, "SocketsHttpHandler.SslOptions.CertificateChainPolicy");
        }

        var trust = _slot.Current;
        var systemChain = trust.PlatformBuildsSystemChain;
        if (trust.Identity is not null && (ssl.ClientCertificates is { Count: > 0 } || ssl.LocalCertificateSelectionCallback is not null || ssl.ClientCertificateContext is not null))
        {
            throw AlreadyDecided(client, "a client certificate on SocketsHttpHandler.SslOptions (ClientCertificatePath is set in PrivateCa too)");
        }

        ssl.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            var stream = sender as SslStream;
            var under = TrustFollowingStream.Current(_slot);
            var trusted = under.Item1.ValidateHandshake(stream?.TargetHostName ?? string.Empty, certificate, chain, errors, port: null, systemChain);
            if (trusted && stream is not null)
            {
                TrustFollowingStream.Verdicts.AddOrUpdate(stream, under);
            }

            return trusted;
        };
        ssl.CertificateChainPolicy = PlatformPolicy.For(trust);
        FollowTrust(handler);
        if (trust.Identity is not null)
        {
            // Asked at each handshake: shown only to a server judged trusted and in scope, and a rotated pair on new connections.
            ssl.LocalCertificateSelectionCallback = ClientIdentityGate.Callback(_slot);
            ClientIdentityGate.RequireServerSignature(ssl, Name(client));
        }
    }

    private void Configure(HttpClientHandler handler, string? client)
    {
        if (handler.ServerCertificateCustomValidationCallback is not null)
        {
            throw AlreadyDecided(client, "HttpClientHandler.ServerCertificateCustomValidationCallback");
        }

        var trust = _slot.Current;
        var systemChain = trust.PlatformBuildsSystemChain;
        handler.CheckCertificateRevocationList = trust.Engine.RevocationMode != X509RevocationMode.NoCheck;
        LocalCertificateSelectionCallback? gated = null;
        SslClientAuthenticationOptions? inner = null;
        handler.ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) =>
        {
            if (gated is not null && !ReferenceEquals(inner!.LocalCertificateSelectionCallback, gated))
            {
                // ClientCertificateOptions set after PrivateCa configured the handler replaces the gate: fail, never offer blindly.
                throw new InvalidOperationException($"PrivateCa refuses {Name(client)}: its ClientCertificateOptions were changed after PrivateCa gave it the client certificate, which removes the check that shows the identity only to a trusted server. Do not set ClientCertificateOptions or ClientCertificates on it.");
            }

            return _slot.Current.ValidateHandshake(request.RequestUri?.IdnHost ?? string.Empty, certificate, chain, errors, request.RequestUri?.Port, systemChain);
        };

        // HttpClientHandler has no chain policy of its own: the platform's build would follow a server's AIA URL. Its
        // SocketsHttpHandler gets the same policy as ours, or the handler is refused.
        var underlying = PlatformPolicy.UnderlyingSslOptions(handler, Name(client));
        inner = underlying;
        FollowTrust(PlatformPolicy.Underlying(handler, Name(client)));
        underlying.CertificateChainPolicy = PlatformPolicy.For(trust);
        if (trust.Identity is not null)
        {
            if (handler.ClientCertificates.Count > 0 || handler.ClientCertificateOptions == ClientCertificateOption.Automatic)
            {
                throw AlreadyDecided(client, "HttpClientHandler.ClientCertificates or ClientCertificateOptions.Automatic (ClientCertificatePath is set in PrivateCa too)");
            }

            // The same gate as a SocketsHttpHandler's, on the SocketsHttpHandler inside: HttpClientHandler's own list would be
            // offered to any server that asks, before its verdict.
            var gate = ClientIdentityGate.Callback(_slot);
            PlatformPolicy.UseSelectionCallback(handler, gate, Name(client));
            ClientIdentityGate.RequireServerSignature(underlying, Name(client));
            gated = gate;
        }
    }

    /// <summary>Pooled HTTP/1.1 connections follow trust: none carries a request its server would not be trusted for now.</summary>
    private void FollowTrust(SocketsHttpHandler handler)
    {
        var userFilter = handler.PlaintextStreamFilter;
        handler.PlaintextStreamFilter = async (context, cancellationToken) =>
        {
            var plaintext = userFilter is null ? context.PlaintextStream : await userFilter(context, cancellationToken).ConfigureAwait(false);
            return TrustFollowingStream.Follow(plaintext, context.PlaintextStream as SslStream, context.NegotiatedHttpVersion, _slot);
        };
    }

    private static string Name(string? client) => client is null ? "this handler" : client.Length == 0 ? "the default HttpClient" : $"HttpClient '{client}'";

    private static InvalidOperationException AlreadyDecided(string? client, string setting) => new(
        $"PrivateCa cannot apply trust to {Name(client)}: its primary handler already sets {setting}. PrivateCa decides trust itself and "
        + "never replaces or chains another decision; remove that setting, or remove AddPrivateCaTrust from this client.");
}
