using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Benchmarks;

/// <summary>The three ways of trusting the bench server that the benchmarks compare, each as a SocketsHttpHandler whose
/// connections go to 127.0.0.1 whatever the host name.</summary>
public static class BenchClients
{
    /// <summary>.NET's default trust: the system store, which on Linux the runtime reads from SSL_CERT_FILE at start-up.</summary>
    public const string System = "System";

    /// <summary>A plain <see cref="X509ChainPolicy"/> with every anchor of the bundle in CustomTrustStore.</summary>
    public const string CustomTrustStore = "CustomTrustStore";

    /// <summary>A handler from <see cref="TrustedHandlerFactory"/> loading the bundle.</summary>
    public const string PrivateCa = "PrivateCa";

    public static SocketsHttpHandler Create(string trust, string bundle)
    {
        SocketsHttpHandler handler;
        switch (trust)
        {
            case System:
                handler = new SocketsHttpHandler();
                break;
            case CustomTrustStore:
                handler = new SocketsHttpHandler();
                var anchors = new X509Certificate2Collection();
                anchors.ImportFromPemFile(bundle);
                var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                policy.CustomTrustStore.AddRange(anchors);
                handler.SslOptions.CertificateChainPolicy = policy;
                break;
            case PrivateCa:
                var options = new PrivateCaTrustOptions { UseEnvironment = false };
                options.BundlePaths.Add(bundle);
                handler = new TrustedHandlerFactory(options).CreateSocketsHttpHandler();
                break;
            default:
                throw new ArgumentException($"unknown trust '{trust}': use {System}, {CustomTrustStore} or {PrivateCa}", nameof(trust));
        }

        return Loopback(handler);
    }

    /// <summary>One new TLS connection per request.</summary>
    public static HttpClient NewConnectionEachRequest(SocketsHttpHandler handler)
    {
        handler.PooledConnectionLifetime = TimeSpan.Zero;
        return new HttpClient(handler);
    }

    public static SocketsHttpHandler Loopback(SocketsHttpHandler handler)
    {
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        };
        return handler;
    }

    public static async Task WarmAsync(HttpClient client, Uri url)
    {
        if (await client.GetStringAsync(url) != "ok")
        {
            throw new InvalidOperationException("the benchmark server did not answer");
        }
    }
}
