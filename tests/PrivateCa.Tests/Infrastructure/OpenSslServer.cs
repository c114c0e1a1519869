using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Tests.Infrastructure;

/// <summary>
/// 'openssl s_server -www' on 127.0.0.1, port 0, at security level 0: it serves certificates that .NET's own server (at
/// Debian's level 2) refuses to present, such as an MD5- or SHA-1-signed leaf, so the client's verdict is what is tested.
/// </summary>
internal sealed class OpenSslServer : IAsyncDisposable
{
    private readonly Process _process;

    private OpenSslServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri Url(string host = "127.0.0.1") => new($"https://{host}:{Port}/");

    /// <summary>Starts the server presenting <paramref name="leaf"/> (with its private key) and <paramref name="chain"/>.</summary>
    public static Task<OpenSslServer> StartAsync(TempDirectory dir, X509Certificate2 leaf, IEnumerable<X509Certificate2> chain, params string[] extraArguments)
    {
        var name = Guid.NewGuid().ToString("N");
        var sent = chain.ToList();
        return StartAsync(
            dir.Write($"{name}-cert.pem", leaf.ExportCertificatePem() + "\n"),
            dir.Write($"{name}-key.pem", PrivateKeyPem(leaf)),
            sent.Count > 0 ? dir.Write($"{name}-chain.pem", Pki.PemOf([.. sent])) : null,
            extraArguments);
    }

    /// <summary>Starts the server from files (for keys .NET cannot export, such as Ed25519).</summary>
    public static async Task<OpenSslServer> StartAsync(string certificate, string key, string? chain, params string[] extraArguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] arguments = ["s_server", "-accept", "127.0.0.1:0", "-www", "-cert", certificate, "-key", key, "-cipher", "ALL:@SECLEVEL=0", "-naccept", "1000"];
        if (chain is not null)
        {
            arguments = [.. arguments, "-cert_chain", chain];
        }

        foreach (var argument in arguments.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("openssl s_server did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("ACCEPT ", StringComparison.Ordinal))
            {
                var port = int.Parse(line[(line.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                _ = DrainAsync(process.StandardOutput);
                return new OpenSslServer(process, port);
            }
        }

        await process.WaitForExitAsync(timeout.Token);
        throw new InvalidOperationException($"openssl s_server exited ({process.ExitCode}) before listening: {await stderr}");
    }

    private static async Task DrainAsync(StreamReader output)
    {
        try
        {
            while (await output.ReadLineAsync() is not null)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The server was stopped.
        }
    }

    private static string PrivateKeyPem(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("the server certificate has no EC or RSA private key");
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
