using System.Net;
using System.Net.Sockets;

namespace PrivateCa.Tests.Infrastructure;

/// <summary>HttpClients whose connections all go to 127.0.0.1 whatever the host name, so TLS sees the name while traffic stays on loopback.</summary>
internal static class LoopbackClient
{
    public static HttpClient For(SocketsHttpHandler handler)
    {
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        handler.PooledConnectionLifetime = TimeSpan.Zero;
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Sends one GET and returns the body, or the exception it failed with.</summary>
    public static async Task<(string? Body, Exception? Error)> TryGetAsync(HttpClient client, Uri url)
    {
        try
        {
            return (await client.GetStringAsync(url), null);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex);
        }
    }
}
