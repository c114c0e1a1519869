using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PrivateCa.Tests.Cli;

/// <summary>
/// A minimal HTTP CONNECT proxy on 127.0.0.1, port 0, as a corporate proxy is to the app: it tunnels to loopback
/// ports only (anything else gets 403) and records every CONNECT target it was asked for.
/// </summary>
internal sealed class ConnectProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ConnectProxy()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public ConcurrentQueue<string> Targets { get; } = new();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = TunnelAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task TunnelAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                var parts = head.Split(' ');
                if (parts is not ["CONNECT", var target, ..] || !target.StartsWith("127.0.0.1:", StringComparison.Ordinal) && !target.StartsWith("localhost:", StringComparison.Ordinal))
                {
                    await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                    return;
                }

                Targets.Enqueue(target);
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, int.Parse(target[(target.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture), _stop.Token);
                await stream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), _stop.Token);
                var server = upstream.GetStream();
                await Task.WhenAny(stream.CopyToAsync(server, _stop.Token), server.CopyToAsync(stream, _stop.Token));
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // A closed tunnel ends here.
            }
        }
    }

    /// <summary>Reads the request line and headers byte by byte, so no tunnelled byte is consumed.</summary>
    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 8192)
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
