using System.CommandLine;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Cli;

/// <summary>
/// The options every command that judges trust shares, bound to <see cref="PrivateCaTrustOptions"/> exactly as an
/// app configures it, so the tool's verdict is the app's.
/// </summary>
internal sealed class TrustOptionSet
{
    private readonly Option<string[]> _bundle = new Option<string[]>("--bundle")
    {
        Description = "A CA bundle file or directory to trust (repeatable). Without it: the environment variables, as an app with UseEnvironment.",
    }.Paths();

    private readonly Option<TrustMode> _mode = new("--mode") { Description = "CustomRootTrust (default): only the bundle; SystemAndCustomRoots: the system's roots too." };
    private readonly Option<ValidationProfile> _profile = new("--profile") { Description = "Platform (default) or Strict (the WebPKI rules of rustls and Python 3.13's strict mode)." };
    private readonly Option<bool> _allowIntermediateAnchors = new("--allow-intermediate-anchors") { Description = "Let a CA from the bundle that is not self-signed end the chain." };
    private readonly Option<bool> _allowCommonNameFallback = new("--allow-common-name-fallback") { Description = "Match a DNS host against the common name of a certificate without subjectAltName (legacy CAs; never IPs, never under name constraints)." };
    private readonly Option<string[]> _pin = new Option<string[]>("--pin") { Description = "Base64 SHA-256 of a SubjectPublicKeyInfo the chain must contain (repeatable)." }.Pins();
    private readonly Option<string[]> _hosts = new Option<string[]>("--hosts") { Description = "Hosts the bundle applies to (repeatable or comma-separated; *.corp.example, 10.0.0.7); others keep system trust." }.HostNames();
    private readonly Option<string[]> _crl = new Option<string[]>("--crl")
    {
        Description = "A CRL file or directory (PEM or DER) to check the chain against, offline (repeatable); as RevocationListPaths.",
    }.Paths();

    private readonly Option<X509RevocationMode> _revocation = new("--revocation") { Description = "NoCheck (default), Online or Offline." };
    private readonly Option<string>? _clientCertificate;
    private readonly Option<string>? _clientKey;

    public TrustOptionSet(bool clientCertificate)
    {
        if (clientCertificate)
        {
            _clientCertificate = new Option<string>("--client-cert") { Description = "PEM client certificate for mutual TLS." }.Paths();
            _clientKey = new Option<string>("--client-key") { Description = "PEM private key of --client-cert (default: in the same file)." }.Paths();
        }
    }

    public void AddTo(Command command)
    {
        Option?[] options = [_bundle, _mode, _profile, _allowIntermediateAnchors, _allowCommonNameFallback, _pin, _hosts, _crl, _revocation, _clientCertificate, _clientKey];
        foreach (var option in options.OfType<Option>())
        {
            command.Options.Add(option);
        }
    }

    public PrivateCaTrustOptions Bind(ParseResult result)
    {
        var bundles = result.GetValue(_bundle) ?? [];
        var options = new PrivateCaTrustOptions
        {
            UseEnvironment = bundles.Length == 0,
            Mode = result.GetValue(_mode),
            Profile = result.GetValue(_profile),
            AllowIntermediateAnchors = result.GetValue(_allowIntermediateAnchors),
            AllowCommonNameFallback = result.GetValue(_allowCommonNameFallback),
            RevocationMode = result.GetValue(_revocation),
            ReloadOnChange = false,
            ClientCertificatePath = _clientCertificate is null ? null : result.GetValue(_clientCertificate),
            ClientKeyPath = _clientKey is null ? null : result.GetValue(_clientKey),
        };
        foreach (var bundle in bundles)
        {
            options.BundlePaths.Add(bundle);
        }

        foreach (var crl in result.GetValue(_crl) ?? [])
        {
            options.RevocationListPaths.Add(crl);
        }

        foreach (var pin in result.GetValue(_pin) ?? [])
        {
            options.PinnedSpkiSha256.Add(pin);
        }

        foreach (var host in (result.GetValue(_hosts) ?? []).SelectMany(h => h.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            options.Hosts.Add(host);
        }

        return options;
    }
}
