using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Differential;

/// <summary>
/// The space the engine's defects came from, as named mutations of one well-formed chain (root → intermediate → leaf for
/// model.corp.example): signature algorithm and parameters, key type and size, name forms, name constraints of every
/// type, basicConstraints and path length, EKU at every level, validity edges, duplicate, unknown and missing extensions.
/// Each kind states the verdict PrivateCa gives it under each profile.
/// </summary>
internal static class CaseCatalog
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>One kind of case: how it mutates the baseline, and what PrivateCa says (None when trusted) under Platform and Strict.</summary>
    public sealed record Kind(string Name, Action<ChainRecipe, Random> Mutate, TrustFailure Platform, TrustFailure Strict);

    public static ChainRecipe Baseline()
    {
        var root = new CertificateRecipe { Subject = "CN=Differential Root, O=PrivateCa Tests" };
        root.Extensions.AddRange(CaExtensions(pathLength: null));
        var intermediate = new CertificateRecipe { Subject = "CN=Differential Issuing CA, O=PrivateCa Tests" };
        intermediate.Extensions.AddRange(CaExtensions(pathLength: null));
        var leaf = new CertificateRecipe { Subject = "CN=model.corp.example", NotAfter = TimeSpan.FromDays(20) };
        leaf.Extensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        leaf.Extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        leaf.Extensions.Add(Eku(ServerAuth));
        leaf.Extensions.Add(San("DNS:model.corp.example"));
        return new ChainRecipe { Root = root, Intermediates = [intermediate], Leaf = leaf };
    }

    /// <summary>The kinds, in a fixed order; the bounded run takes each once.</summary>
    public static IReadOnlyList<Kind> All { get; } = Build();

    private static List<Kind> Build()
    {
        var none = TrustFailure.None;
        var weak = TrustFailure.WeakCryptography;
        var malformed = TrustFailure.MalformedCertificate;
        var strict = TrustFailure.StrictProfile;
        var kinds = new List<Kind>
        {
            new("baseline", (_, _) => { }, none, none),

            // Signature algorithm and parameters: the leaf's signature, made by an intermediate whose key fits it.
            Signature("sig-sha256-rsa", SignatureKind.Sha256Rsa, none, none),
            Signature("sig-sha384-rsa", SignatureKind.Sha384Rsa, none, none),
            Signature("sig-sha512-rsa", SignatureKind.Sha512Rsa, none, none),
            Signature("sig-sha256-rsa-no-null", SignatureKind.Sha256RsaNoNull, none, none),
            Signature("sig-sha1-rsa", SignatureKind.Sha1Rsa, weak, weak),
            Signature("sig-md5-rsa", SignatureKind.Md5Rsa, weak, weak),
            Signature("sig-oiw-sha1-rsa", SignatureKind.OiwSha1Rsa, weak, weak),
            Signature("sig-oiw-md5-rsa", SignatureKind.OiwMd5Rsa, weak, weak),
            Signature("sig-pss-sha256", SignatureKind.PssSha256, none, none),
            Signature("sig-pss-sha384", SignatureKind.PssSha384, none, none),
            Signature("sig-pss-sha512", SignatureKind.PssSha512, none, none),
            Signature("sig-pss-defaults", SignatureKind.PssDefaults, weak, weak),
            Signature("sig-pss-no-parameters", SignatureKind.PssNoParameters, weak, weak),
            Signature("sig-ecdsa-sha256", SignatureKind.EcdsaSha256, none, none),
            Signature("sig-ecdsa-sha384", SignatureKind.EcdsaSha384, none, none),
            Signature("sig-ecdsa-sha512", SignatureKind.EcdsaSha512, none, none),
            Signature("sig-ecdsa-sha1", SignatureKind.EcdsaSha1, weak, weak),
            Signature("sig-ecdsa-sha256-with-null", SignatureKind.EcdsaSha256WithNull, weak, weak),
            Signature("sig-unknown-oid", SignatureKind.UnknownOid, weak, weak),
            new("sig-sha1-on-intermediate", (r, _) => { r.Root.Key = KeyKind.Rsa2048; r.Intermediates[0].Signature = SignatureKind.Sha1Rsa; }, weak, weak),
            new("sig-sha1-on-root-self-signature", (r, _) => { r.Root.Key = KeyKind.Rsa2048; r.Root.Signature = SignatureKind.Sha1Rsa; }, none, none),

            // Key type and size, at each level.
            Key("key-int-rsa1024", KeyKind.Rsa1024, weak),
            Key("key-int-rsa2048", KeyKind.Rsa2048, none),
            Key("key-int-rsa3072", KeyKind.Rsa3072, none),
            Key("key-int-ec-p384", KeyKind.EcP384, none),
            Key("key-int-ec-p521", KeyKind.EcP521, none),
            Key("key-int-ec-p224", KeyKind.EcP224, weak),
            new("key-int-rsa-under-pss-oid", (r, _) => { r.Intermediates[0].Key = KeyKind.Rsa2048UnderPssOid; r.Leaf.Signature = SignatureKind.PssSha256; }, weak, weak),
            new("key-int-rsa-under-x500-oid", (r, _) => { r.Intermediates[0].Key = KeyKind.Rsa2048UnderX500Oid; r.Leaf.Signature = SignatureKind.Sha256Rsa; }, weak, weak),
            new("key-leaf-rsa1024", (r, _) => r.Leaf.Key = KeyKind.Rsa1024, weak, weak),
            new("key-leaf-rsa2048", (r, _) => r.Leaf.Key = KeyKind.Rsa2048, none, none),
            new("key-root-rsa1024", (r, _) => { r.Root.Key = KeyKind.Rsa1024; }, weak, weak),

            // Names: the leaf's subjectAltName and the host.
            Names("name-case-differs", "model.corp.example", ["DNS:Model.Corp.Example"], none, none),
            Names("name-trailing-dot-san", "model.corp.example", ["DNS:model.corp.example."], malformed, malformed),
            Names("name-empty-label", "model.corp.example", ["DNS:model..corp.example", "DNS:model.corp.example"], malformed, malformed),
            Names("name-other-host", "other.corp.example", ["DNS:model.corp.example"], TrustFailure.NameMismatch, TrustFailure.NameMismatch),
            Names("name-wildcard", "a.corp.example", ["DNS:*.corp.example"], none, none),
            Names("name-wildcard-two-levels", "a.b.corp.example", ["DNS:*.corp.example"], TrustFailure.NameMismatch, TrustFailure.NameMismatch),
            Names("name-wildcard-partial", "ab.corp.example", ["DNS:a*.corp.example"], TrustFailure.NameMismatch, strict),
            Names("name-wildcard-over-tld", "a.internal", ["DNS:*.internal"], TrustFailure.NameMismatch, strict),
            Names("name-wildcard-base", "corp.example", ["DNS:*.corp.example"], TrustFailure.NameMismatch, TrustFailure.NameMismatch),
            Names("name-idna", "xn--bcher-kva.corp.example", ["DNS:xn--bcher-kva.corp.example"], none, none),
            Names("name-ipv4", "10.0.0.7", ["IP:10.0.0.7"], none, none),
            Names("name-ipv6", "fd00::7", ["IP:fd00::7"], none, none),
            Names("name-ipv4-other", "10.0.0.8", ["IP:10.0.0.7"], TrustFailure.NameMismatch, TrustFailure.NameMismatch),
            Names("name-ip-written-as-dns", "10.0.0.7", ["DNS:10.0.0.7"], TrustFailure.NameMismatch, TrustFailure.NameMismatch),
            Names("name-dns-for-ip-host-v6", "fd00::7", ["IP:10.0.0.7", "DNS:model.corp.example"], TrustFailure.NameMismatch, TrustFailure.NameMismatch),
            Names("name-uri-only", "model.corp.example", ["URI:https://model.corp.example/"], TrustFailure.NameMismatch, TrustFailure.NameMismatch),
            Names("name-email-only", "model.corp.example", ["email:ops@corp.example"], TrustFailure.NameMismatch, TrustFailure.NameMismatch),
            new("name-no-san-cn-only", (r, _) => r.Leaf.Replace("2.5.29.17", null), TrustFailure.NameMismatch, strict),

            // Name constraints on the intermediate, against the baseline leaf (DNS:model.corp.example) or the one named.
            Constrained("nc-permitted-dns-in", ["DNS:corp.example"], [], none, none),
            Constrained("nc-permitted-dns-out", ["DNS:other.example"], [], TrustFailure.NameConstraints, TrustFailure.NameConstraints),
            Constrained("nc-permitted-leading-dot", ["DNS:.corp.example"], [], none, none),
            Constrained("nc-excluded-dns-hit", [], ["DNS:model.corp.example"], TrustFailure.NameConstraints, TrustFailure.NameConstraints),
            Constrained("nc-excluded-dns-miss", [], ["DNS:secret.corp.example"], none, none),
            Constrained("nc-excluded-trailing-dot-san", [], ["DNS:secret.corp.example"], malformed, malformed, ["DNS:model.corp.example", "DNS:secret.corp.example."]),
            Constrained("nc-permitted-ip-in", ["IP:10.0.0.0/8"], [], none, none, ["IP:10.0.0.7"], "10.0.0.7"),
            Constrained("nc-permitted-ip-out", ["IP:192.168.0.0/16"], [], TrustFailure.NameConstraints, TrustFailure.NameConstraints, ["IP:10.0.0.7"], "10.0.0.7"),
            Constrained("nc-excluded-ip-hit", [], ["IP:10.0.0.0/8"], TrustFailure.NameConstraints, TrustFailure.NameConstraints, ["IP:10.0.0.7"], "10.0.0.7"),
            Constrained("nc-permitted-dns-leaves-ip-open", ["DNS:corp.example"], [], none, none, ["IP:10.0.0.7"], "10.0.0.7"),
            Constrained("nc-permitted-dirname-in", ["DirName:O=PrivateCa Tests"], [], none, none, subject: "CN=model.corp.example, O=PrivateCa Tests"),
            Constrained("nc-permitted-dirname-out", ["DirName:O=PrivateCa Tests"], [], TrustFailure.NameConstraints, TrustFailure.NameConstraints, subject: "CN=model.corp.example, O=Elsewhere"),
            Constrained("nc-permitted-email-only", ["email:corp.example"], [], none, none),
            Constrained("nc-permitted-uri-out", ["URI:.corp.example"], [], TrustFailure.NameConstraints, TrustFailure.NameConstraints, ["DNS:model.corp.example", "URI:https://evil.example/"]),
            Constrained("nc-excluded-dns-wildcard-leaf", [], ["DNS:secret.corp.example"], TrustFailure.NameConstraints, TrustFailure.NameConstraints, ["DNS:*.corp.example"], "a.corp.example"),

            // basicConstraints and path length.
            new("bc-int-ca-false", (r, _) => r.Intermediates[0].Replace("2.5.29.19", new X509BasicConstraintsExtension(false, false, 0, true)), TrustFailure.BasicConstraints, TrustFailure.BasicConstraints),
            new("bc-int-absent", (r, _) => r.Intermediates[0].Replace("2.5.29.19", null), TrustFailure.BasicConstraints, TrustFailure.BasicConstraints),
            new("bc-int-not-critical", (r, _) => r.Intermediates[0].Replace("2.5.29.19", new X509BasicConstraintsExtension(true, false, 0, false)), none, strict),
            new("bc-root-pathlen0", (r, _) => r.Root.Replace("2.5.29.19", new X509BasicConstraintsExtension(true, true, 0, true)), TrustFailure.BasicConstraints, TrustFailure.BasicConstraints),
            new("bc-int-pathlen0-ok", (r, _) => r.Intermediates[0].Replace("2.5.29.19", new X509BasicConstraintsExtension(true, true, 0, true)), none, none),
            new("bc-pathlen0-exceeded", (r, _) =>
            {
                var second = new CertificateRecipe { Subject = "CN=Differential Second CA" };
                second.Extensions.AddRange(CaExtensions(null));
                r.Intermediates[0].Replace("2.5.29.19", new X509BasicConstraintsExtension(true, true, 0, true));
                r.Intermediates.Add(second);
            }, TrustFailure.BasicConstraints, TrustFailure.BasicConstraints),
            new("bc-leaf-ca-true", (r, _) => r.Leaf.Replace("2.5.29.19", new X509BasicConstraintsExtension(true, false, 0, true)), none, strict),

            // EKU at every level.
            new("eku-leaf-client-only", (r, _) => r.Leaf.Replace("2.5.29.37", Eku(ClientAuth)), TrustFailure.WrongUsage, TrustFailure.WrongUsage),
            new("eku-leaf-absent", (r, _) => r.Leaf.Replace("2.5.29.37", null), none, strict),
            new("eku-leaf-any", (r, _) => r.Leaf.Replace("2.5.29.37", Eku("2.5.29.37.0")), TrustFailure.WrongUsage, TrustFailure.WrongUsage),
            new("eku-int-client-only", (r, _) => r.Intermediates[0].Extensions.Add(Eku(ClientAuth)), TrustFailure.WrongUsage, TrustFailure.WrongUsage),
            new("eku-int-server", (r, _) => r.Intermediates[0].Extensions.Add(Eku(ServerAuth)), none, none),
            new("eku-root-client-only", (r, _) => r.Root.Extensions.Add(Eku(ClientAuth)), TrustFailure.WrongUsage, TrustFailure.WrongUsage),

            // Validity edges (the instant is fixed for every judge).
            new("time-leaf-expired-1s", (r, _) => r.Leaf.NotAfter = TimeSpan.FromSeconds(-1), TrustFailure.NotTimeValid, TrustFailure.NotTimeValid),
            new("time-leaf-not-yet-1s", (r, _) => r.Leaf.NotBefore = TimeSpan.FromSeconds(1), TrustFailure.NotTimeValid, TrustFailure.NotTimeValid),
            new("time-leaf-valid-from-now-1s", (r, _) => r.Leaf.NotBefore = TimeSpan.FromSeconds(-1), none, none),
            new("time-int-expired", (r, _) => r.Intermediates[0].NotAfter = TimeSpan.FromHours(-1), TrustFailure.NotTimeValid, TrustFailure.NotTimeValid),
            new("time-root-expired", (r, _) => r.Root.NotAfter = TimeSpan.FromHours(-1), TrustFailure.NotTimeValid, TrustFailure.NotTimeValid),

            // Duplicate, unknown, missing and malformed extensions.
            new("ext-duplicate-san", (r, _) => r.Leaf.Extensions.Add(San("DNS:model.corp.example")), malformed, malformed),
            // The chain engine will not take an intermediate with a repeated extension as an issuer, so no chain reaches the root.
            new("ext-duplicate-bc-int", (r, _) => r.Intermediates[0].Extensions.Add(new X509BasicConstraintsExtension(true, false, 0, true)), TrustFailure.UntrustedRoot, TrustFailure.UntrustedRoot),
            new("ext-unknown-critical-leaf", (r, _) => r.Leaf.Extensions.Add(new X509Extension("1.3.6.1.4.1.55555.9", [0x05, 0x00], true)), TrustFailure.Other, TrustFailure.Other),
            new("ext-unknown-noncritical-leaf", (r, _) => r.Leaf.Extensions.Add(new X509Extension("1.3.6.1.4.1.55555.9", [0x05, 0x00], false)), none, none),
            new("ext-leaf-no-aki", (r, _) => r.Leaf.AuthorityKeyIdentifier = false, none, strict),
            new("ext-int-no-ski", (r, _) => r.Intermediates[0].SubjectKeyIdentifier = false, none, strict),
            new("ext-int-ku-no-keycertsign", (r, _) => r.Intermediates[0].Replace("2.5.29.15", new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true)), TrustFailure.BasicConstraints, TrustFailure.BasicConstraints),
            new("ext-leaf-ku-keycertsign", (r, _) => r.Leaf.Replace("2.5.29.15", new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true)), none, strict),
            new("ext-san-empty-sequence", (r, _) => r.Leaf.Replace("2.5.29.17", new X509Extension("2.5.29.17", [0x30, 0x00], false)), malformed, malformed),
            new("ext-san-undecodable", (r, _) => r.Leaf.Replace("2.5.29.17", new X509Extension("2.5.29.17", [0x30, 0x05, 0x82, 0x09, 0x61], false)), malformed, malformed),
            new("ext-san-ip-5-octets", (r, _) => r.Leaf.Extensions.Add(new X509Extension("2.5.29.17", NameConstraintsDer.SubjectAltName(["DNS:model.corp.example", "raw:870501020304FF"]), false)), malformed, malformed),
        };

        return kinds;
    }

    private static Kind Signature(string name, SignatureKind signature, TrustFailure platform, TrustFailure strictFailure)
    {
        var rsa = signature is not (SignatureKind.EcdsaSha256 or SignatureKind.EcdsaSha384 or SignatureKind.EcdsaSha512 or SignatureKind.EcdsaSha1 or SignatureKind.EcdsaSha256WithNull or SignatureKind.UnknownOid);
        return new(name, (r, _) =>
        {
            r.Intermediates[0].Key = rsa ? KeyKind.Rsa2048 : KeyKind.EcP256;
            r.Leaf.Signature = signature;
        }, platform, strictFailure);
    }

    private static Kind Key(string name, KeyKind key, TrustFailure both) =>
        new(name, (r, _) => r.Intermediates[0].Key = key, both, both);

    private static Kind Names(string name, string host, string[] sans, TrustFailure platform, TrustFailure strictFailure) =>
        new(name, (r, _) =>
        {
            r.Host = host;
            r.Leaf.Replace("2.5.29.17", San(sans));
        }, platform, strictFailure);

    private static Kind Constrained(string name, string[] permitted, string[] excluded, TrustFailure platform, TrustFailure strictFailure, string[]? sans = null, string? host = null,
        string? subject = null) =>
        new(name, (r, _) =>
        {
            r.Leaf.Subject = subject ?? r.Leaf.Subject;
            r.Intermediates[0].Extensions.Add(NameConstraintsDer.Extension(permitted, excluded));
            if (sans is not null)
            {
                r.Leaf.Replace("2.5.29.17", San(sans));
            }

            if (host is not null)
            {
                r.Host = host;
            }
        }, platform, strictFailure);

    private static IEnumerable<X509Extension> CaExtensions(int? pathLength)
    {
        yield return new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, critical: true);
        yield return new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true);
    }

    private static X509EnhancedKeyUsageExtension Eku(string oid) => new([new Oid(oid)], critical: false);

    private static X509Extension San(params string[] names) => new("2.5.29.17", NameConstraintsDer.SubjectAltName(names), critical: false);

    /// <summary>IP hosts are given to judges without brackets.</summary>
    public static bool IsAddress(string host) => IPAddress.TryParse(host, out _);
}
