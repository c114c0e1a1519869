using System.Net;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>Every spelling of a listed IP address is inside <see cref="PrivateCaTrustOptions.Hosts"/>: IPv4-mapped IPv6
/// addresses are their IPv4 address and a zone is not part of the address, as Go's netip compares them.</summary>
public sealed class HostScopeSpellingTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Scope Spelling Root");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("::ffff:10.0.0.7")]
    [InlineData("[::ffff:10.0.0.7]")]
    [InlineData("fe80::1%1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[fe80::1%25eth0]")]
    public void Validate_OtherSpellingOfListedAddress_IsInScope(string host)
    {
        var leaf = Pki.Issue("ip", _root, new Pki.Spec { IpAddresses = [IPAddress.Parse("10.0.0.7"), IPAddress.Parse("fe80::1")] });
        var pinned = Validator(o => o.PinnedSpkiSha256.Add(Pki.SpkiPin(Pki.Root("Another Key"))));

        var verdict = pinned.Validate(leaf, [], host);

        // In scope, the pin applies; outside, the system's trust would have answered "outside Hosts" instead.
        verdict.Summary.Should().NotContain("outside Hosts");
        verdict.Failure.Should().BeOneOf(TrustFailure.PinMismatch, TrustFailure.NameMismatch);
    }

    [Fact]
    public void Validate_UnlistedAddressSpelledAsMapped_StaysOutOfScope()
    {
        var leaf = Pki.Issue("ip", _root, new Pki.Spec { IpAddresses = [IPAddress.Parse("10.0.0.8")] });

        var verdict = Validator().Validate(leaf, [], "::ffff:10.0.0.8");

        verdict.Summary.Should().Contain("outside Hosts");
    }

    [Fact]
    public async Task Handshake_ToIpv4MappedLoopback_JudgedWithTheBundle()
    {
        var leaf = Pki.Issue("loopback", _root, new Pki.Spec { IpAddresses = [IPAddress.Loopback], Eku = ["1.3.6.1.5.5.7.3.1"] });
        var options = Options(o => o.PinnedSpkiSha256.Add(Pki.SpkiPin(Pki.Root("Another Key"))));
        await using var server = await TlsServer.StartAsync(leaf);
        using var client = new HttpClient(new TrustedHandlerFactory(options).CreateSocketsHttpHandler());

        var error = await Record.ExceptionAsync(() => client.GetStringAsync(new Uri($"https://[::ffff:127.0.0.1]:{server.Port}/")));

        var rejection = CertificateTrustException.Find(error!);
        rejection.Should().NotBeNull(error?.ToString());
        rejection!.Summary.Should().NotContain("outside Hosts");
        rejection.Failure.Should().BeOneOf(TrustFailure.PinMismatch, TrustFailure.NameMismatch);
    }

    private CustomRootTrustValidator Validator(Action<PrivateCaTrustOptions>? configure = null) => new(Options(configure));

    private PrivateCaTrustOptions Options(Action<PrivateCaTrustOptions>? configure = null)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(_root)));
        options.Hosts.Add("10.0.0.7");
        options.Hosts.Add("fe80::1");
        options.Hosts.Add("127.0.0.1");
        configure?.Invoke(options);
        return options;
    }
}
