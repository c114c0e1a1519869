using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;
using PrivateCa.Tests.Reliability;
using Xunit.Abstractions;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// Thousands of generated and mutated server certificates — malformed and duplicate extensions, odd subjectAltNames,
/// name constraints, weak keys and signatures, cut extensions — through <see cref="CustomRootTrustValidator.Validate"/> and
/// through a real TLS handshake on 127.0.0.1: each case's verdict is the one its mutation calls for (asserted first), never
/// another exception, and the same verdict both ways.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class TrustDifferentialFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const string Host = "model.internal";
    private const string SanOid = "2.5.29.17";

    /// <summary>Not a PrivateCa verdict: SslStream threw before the callback ran.</summary>
    private const TrustFailure PlatformThrewFirst = (TrustFailure)(-1);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ValidateAndHandshake_MutatedCertificates_OnlyVerdictsAndTheSameBothWays()
    {
        var random = new Random(11);
        var root = Pki.Root("Fuzz Root");
        var constrained = Pki.Intermediate("Fuzz Constrained CA", root, new Pki.Spec { PermittedDnsSubtree = "corp.example" });
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa1024 = RSA.Create(1024);
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write("bundle.pem", Pki.PemOf(root)));
        var validator = new CustomRootTrustValidator(options);
        var factory = new TrustedHandlerFactory(options);

        X509Certificate2? current = null;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var counts = new Dictionary<string, int>();
        var handshakes = 0;
        var platformFirst = 0;
        for (var i = 0; i < ReliabilityScale.TrustFuzzCertificates; i++)
        {
            var (leaf, sent, host, kind, expected) = Generate(random, root, constrained, leafKey, rsa1024);
            TrustVerdict verdict;
            try
            {
                verdict = validator.Validate(leaf, new X509Certificate2Collection(sent), host);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"case {i} ({kind}): Validate threw {ex.GetType().Name} instead of giving a verdict", ex);
            }

            counts[$"{kind} → {verdict.Failure}"] = counts.GetValueOrDefault($"{kind} → {verdict.Failure}") + 1;
            verdict.Failure.Should().Be(expected, $"case {i} ({kind}, host {host}): {verdict.Summary}");

            // Every fourth case also goes through a handshake (keeps the suite fast); every case under PRIVATECA_RELIABILITY=full.
            // A 1024-bit RSA key cannot be served at OpenSSL's default security level: those go through Validate only.
            if ((!ReliabilityScale.Full && i % 4 != 0) || kind.StartsWith("rsa1024", StringComparison.Ordinal))
            {
                continue;
            }

            current = leaf;
            var outcome = await Handshake(listener, port, factory, current, sent, host);
            if (outcome is null)
            {
                continue; // the server side could not load this certificate: nothing was sent.
            }

            handshakes++;
            if (outcome.Value == PlatformThrewFirst)
            {
                platformFirst++;
                verdict.Failure.Should().Be(TrustFailure.MalformedCertificate, $"case {i} ({kind}): the platform refused it as malformed");
                continue;
            }

            outcome.Value.Should().Be(verdict.Failure, $"case {i} ({kind}): Validate said '{verdict.Summary}'");
        }

        foreach (var (key, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,6}  {key}");
        }

        output.WriteLine($"{handshakes} handshakes; {platformFirst} refused by .NET's SslStream before the validation callback");
        handshakes.Should().BeGreaterThan(ReliabilityScale.TrustFuzzCertificates / 8);
        counts.Keys.Should().Contain(k => k.EndsWith("MalformedCertificate", StringComparison.Ordinal))
            .And.Contain(k => k.EndsWith("WeakCryptography", StringComparison.Ordinal))
            .And.Contain(k => k.EndsWith("→ None", StringComparison.Ordinal));
    }

    /// <summary>The handshake's verdict: None when trusted, the failure of the <see cref="CertificateTrustException"/>, or null when the server could not present the certificate.</summary>
    private static async Task<TrustFailure?> Handshake(TcpListener listener, int port, TrustedHandlerFactory factory, X509Certificate2 leaf, X509Certificate2[] sent, string host)
    {
        if (!leaf.HasPrivateKey)
        {
            return null;
        }

        SslStreamCertificateContext context;
        try
        {
            context = SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(sent), offline: true);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or NotSupportedException)
        {
            return null;
        }

        var accept = listener.AcceptTcpClientAsync();
        using var clientSocket = new TcpClient();
        await clientSocket.ConnectAsync(IPAddress.Loopback, port);
        using var serverSocket = await accept;
        await using var serverStream = new SslStream(serverSocket.GetStream());
        await using var clientStream = new SslStream(clientSocket.GetStream());
        var serverTask = serverStream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = context });
        using var handler = factory.CreateSocketsHttpHandler();
        var clientOptions = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            RemoteCertificateValidationCallback = handler.SslOptions.RemoteCertificateValidationCallback,
            CertificateChainPolicy = handler.SslOptions.CertificateChainPolicy,
            CertificateRevocationCheckMode = handler.SslOptions.CertificateRevocationCheckMode,
        };
        TrustFailure? result;
        try
        {
            await clientStream.AuthenticateAsClientAsync(clientOptions);
            result = TrustFailure.None;
        }
        catch (Exception ex) when (Find<CertificateTrustException>(ex) is { } rejection)
        {
            result = rejection.Failure;
        }
        catch (CryptographicException ex) when (ex.StackTrace?.Contains("SslStream.VerifyRemoteCertificate", StringComparison.Ordinal) == true)
        {
            // .NET's own chain build in SslStream, before any validation callback runs, throws on some malformed
            // extensions (an extendedKeyUsage that does not decode). No callback can turn that into a verdict.
            result = PlatformThrewFirst;
        }
        catch (System.Security.Authentication.AuthenticationException ex) when (Find<CertificateTrustException>(ex) is null && ex.ToString().Contains("alert protocol version", StringComparison.Ordinal))
        {
            // The server's OpenSSL refused to serve the certificate (a SHA-1 signature under its security level): nothing reached the client's callback.
            result = null;
        }
        catch (Exception ex) when (Find<CertificateTrustException>(ex) is null && ex is System.Security.Authentication.AuthenticationException or IOException or CryptographicException)
        {
            // Anything but a verdict leaving the callback is the defect this test exists to catch.
            throw new InvalidOperationException($"the handshake failed without a PrivateCa verdict: {ex}", ex);
        }

        clientSocket.Close();
        try
        {
            await serverTask;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // The client hung up on a rejected server.
        }

        return result;
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static (X509Certificate2 Leaf, X509Certificate2[] Sent, string Host, string Kind, TrustFailure Expected) Generate(
        Random random, X509Certificate2 root, X509Certificate2 constrained, ECDsa leafKey, RSA rsa1024)
    {
        var viaConstrained = random.Next(6) == 0;
        var issuer = viaConstrained ? constrained : root;
        var sent = viaConstrained ? new[] { constrained } : [];
        var host = random.Next(5) switch
        {
            0 => "model.corp.example",
            1 => "127.0.0.1",
            _ => Host,
        };

        var weakKey = random.Next(20) == 0;
        var template = Template(issuer, host, weakKey ? null : leafKey, weakKey ? rsa1024 : null, random);
        var mutation = random.Next(14);
        var hash = random.Next(12) == 0 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var kind = (weakKey ? "rsa1024+" : string.Empty) + (hash == HashAlgorithmName.SHA1 ? "sha1+" : string.Empty) + (viaConstrained ? "constrained+" : string.Empty) + $"m{mutation}";
        var subjectIsHostLike = !template.Subject.Contains('\n', StringComparison.Ordinal);
        var ipLength = random.Next(0, 20);
        var forged = DerForge.Rewrite(template, issuer, extensions => Mutate(extensions, mutation, random, host, ipLength), hash);
        template.Dispose();
        var expected = Expected(mutation, weakKey || hash == HashAlgorithmName.SHA1, viaConstrained, host, subjectIsHostLike, ipLength);
        try
        {
            var leaf = weakKey ? forged.CopyWithPrivateKey(rsa1024) : forged.CopyWithPrivateKey(leafKey);
            forged.Dispose();
            return (leaf, sent, host, kind, expected);
        }
        catch (CryptographicException)
        {
            // .NET will not attach a key to a certificate whose keyUsage it cannot decode: Validate only, no handshake.
            return (forged, sent, host, kind, expected);
        }
    }

    /// <summary>
    /// The verdict a mutation calls for, worked out from what it breaks, not from what the engine said: every problem the
    /// case has, and the verdict is the one that ranks first (malformed, weak, ... name mismatch, other).
    /// </summary>
    private static TrustFailure Expected(int mutation, bool weak, bool constrained, string host, bool subjectIsHostLike, int ipLength)
    {
        var problems = new List<TrustFailure>();
        var hostIsIp = host == "127.0.0.1";

        // Under the CA that permits only corp.example: a dNSName outside it breaks the constraints; so does a host-like
        // common name when the subjectAltName holds no dNSName, which OpenSSL then checks in its place.
        var dnsOutside = constrained && !host.EndsWith(".corp.example", StringComparison.Ordinal);
        var commonNameOutside = constrained && subjectIsHostLike && !host.EndsWith(".corp.example", StringComparison.Ordinal);
        switch (mutation)
        {
            case 0 or 7 or 9 or 10 or 12:
                // 0 as made; 7 the dNSName changed by one letter (an address stays as it was); 9 CA:TRUE on the leaf, a Strict
                // finding only; 10 clientAuth only; 12 an unknown critical extension.
                problems.Add(mutation switch
                {
                    7 when !hostIsIp => TrustFailure.NameMismatch,
                    10 => TrustFailure.WrongUsage,
                    12 => TrustFailure.Other,
                    _ => TrustFailure.None,
                });
                if (hostIsIp ? commonNameOutside : dnsOutside)
                {
                    problems.Add(TrustFailure.NameConstraints);
                }

                break;
            case 1:
                // No subjectAltName: no common-name fallback, but OpenSSL still checks a host-like common name against the constraints.
                problems.Add(TrustFailure.NameMismatch);
                if (commonNameOutside)
                {
                    problems.Add(TrustFailure.NameConstraints);
                }

                break;
            case 2:
                // The host as a dNSName beside an iPAddress of a random length: only 4 or 16 octets are an address.
                problems.Add(ipLength is not (4 or 16) ? TrustFailure.MalformedCertificate : hostIsIp ? TrustFailure.NameMismatch : TrustFailure.None);
                if (dnsOutside)
                {
                    problems.Add(TrustFailure.NameConstraints);
                }

                break;
            case 3 or 5 or 6 or 8 or 11:
                // A repeated extension, a name with a NUL or line feed, an empty subjectAltName, a subjectAltName cut short,
                // a 4-octet iPAddress constraint.
                problems.Add(TrustFailure.MalformedCertificate);
                break;
            default:
                // 4: '*.internal' or '*.*.internal'; 13: other.internal and 127.0.0.2. Never the host, never inside corp.example.
                problems.Add(TrustFailure.NameMismatch);
                if (constrained)
                {
                    problems.Add(TrustFailure.NameConstraints);
                }

                break;
        }

        if (weak)
        {
            problems.Add(TrustFailure.WeakCryptography);
        }

        var failures = problems.Where(p => p != TrustFailure.None).ToList();
        return failures.Count == 0 ? TrustFailure.None : failures.MinBy(PrivateCa.Trust.Internal.Evaluation.Rank);
    }

    private static X509Certificate2 Template(X509Certificate2 issuer, string host, ECDsa? ec, RSA? rsa, Random random)
    {
        var subject = random.Next(8) == 0 ? "CN=evil\nline" : $"CN={host}";
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(subject[3..]);
        var request = ec is not null
            ? new CertificateRequest(builder.Build(), ec, HashAlgorithmName.SHA256)
            : new CertificateRequest(builder.Build(), rsa!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var san = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var ip))
        {
            san.AddIpAddress(ip);
        }
        else
        {
            san.AddDnsName(host);
        }

        request.CertificateExtensions.Add(san.Build());
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        var serial = new byte[8];
        random.NextBytes(serial);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
    }

    private static List<DerForge.Extension> Mutate(List<DerForge.Extension> extensions, int mutation, Random random, string host, int ipLength)
    {
        DerForge.Extension San(params byte[][] names) => new(SanOid, false, DerForge.GeneralNames(names));
        List<DerForge.Extension> ReplaceSan(DerForge.Extension san) => [.. extensions.Where(e => e.Oid != SanOid), san];
        switch (mutation)
        {
            case 0:
                return extensions;
            case 1:
                return [.. extensions.Where(e => e.Oid != SanOid)]; // no subjectAltName: CN only
            case 2:
                return ReplaceSan(San(DerForge.DnsName(host), DerForge.IpAddress(new byte[ipLength])));
            case 3:
                return [.. extensions, extensions[random.Next(extensions.Count)]]; // a duplicate extension
            case 4:
                return ReplaceSan(San(DerForge.DnsName(random.Next(2) == 0 ? "*.internal" : "*.*.internal")));
            case 5:
                return ReplaceSan(San(DerForge.DnsName(host + (random.Next(2) == 0 ? "\0.attacker.example" : "\n"))));
            case 6:
                return ReplaceSan(San());
            case 7:
            {
                // The dNSName (or the address's DNS twin) changed by one letter: well formed, another name.
                return ReplaceSan(San(host == "127.0.0.1" ? DerForge.IpAddress([127, 0, 0, 1]) : DerForge.DnsName("x" + host[1..])));
            }

            case 8:
            {
                // The subjectAltName cut short.
                var san = extensions.Single(e => e.Oid == SanOid);
                return [.. extensions.Select(e => e.Oid == SanOid ? e with { Value = san.Value[..random.Next(1, san.Value.Length)] } : e)];
            }

            case 9:
                return [.. extensions.Select(e => e.Oid == "2.5.29.19" ? e with { Value = [0x30, 0x03, 0x01, 0x01, 0xFF] } : e)]; // CA:TRUE leaf
            case 10:
                return [.. extensions.Select(e => e.Oid == "2.5.29.37" ? e with { Value = [0x30, 0x0A, 0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02] } : e)]; // clientAuth only
            case 11:
                return [.. extensions, new DerForge.Extension("2.5.29.30", true, [0x30, 0x0A, 0xA0, 0x08, 0x30, 0x06, 0x87, 0x04, 10, 0, 0, 0])]; // name constraints with a 4-octet IP subtree
            case 12:
                return [.. extensions, new DerForge.Extension("1.2.3.4.5.6.7", true, [0x05, 0x00])]; // unknown critical extension
            default:
                return ReplaceSan(San(DerForge.DnsName("other.internal"), DerForge.IpAddress([127, 0, 0, 2])));
        }
    }
}
