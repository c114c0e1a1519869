using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Differential;

/// <summary>
/// Makes the certificates of a <see cref="ChainRecipe"/> with <see cref="CertificateRequest"/> and a signature generator that
/// writes whatever AlgorithmIdentifier the recipe names (OIW, PSS variants, unknown OIDs) over a real signature, so each
/// certificate is wrong only where the recipe says. Keys come from a small pool (RSA key generation is slow).
/// </summary>
internal sealed class ChainForge : IDisposable
{
    private readonly Dictionary<KeyKind, Queue<AsymmetricAlgorithm>> _pool = [];
    private readonly List<AsymmetricAlgorithm> _all = [];
    private long _serial = 0x1000;

    public void Dispose()
    {
        foreach (var key in _all)
        {
            key.Dispose();
        }
    }

    /// <summary>The chain's certificates: root, intermediates (root side first), leaf; times relative to <paramref name="at"/>.</summary>
    public (X509Certificate2 Root, X509Certificate2[] Intermediates, X509Certificate2 Leaf) Build(ChainRecipe recipe, DateTimeOffset at)
    {
        var rootKey = Key(recipe.Root.Key);
        var root = Issue(recipe.Root, rootKey, issuer: null, issuerKey: rootKey, at);
        var issuer = root;
        var issuerKey = rootKey;
        var intermediates = new List<X509Certificate2>();
        foreach (var step in recipe.Intermediates)
        {
            var key = Key(step.Key);
            var certificate = Issue(step, key, issuer, issuerKey, at);
            intermediates.Add(certificate);
            issuer = certificate;
            issuerKey = key;
        }

        var leaf = Issue(recipe.Leaf, Key(recipe.Leaf.Key), issuer, issuerKey, at);
        intermediates.Reverse();
        return (root, [.. intermediates], leaf);
    }

    private X509Certificate2 Issue(CertificateRecipe recipe, AsymmetricAlgorithm key, X509Certificate2? issuer, AsymmetricAlgorithm issuerKey, DateTimeOffset at)
    {
        var subject = new X500DistinguishedName(recipe.Subject);
        var request = new CertificateRequest(subject, PublicKeyOf(key, recipe.Key), HashAlgorithmName.SHA256);

        // CertificateRequest refuses a repeated extension: a repeat goes in under a placeholder OID, renamed after.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var extension in recipe.Extensions)
        {
            var oid = extension.Oid!.Value!;
            if (seen.Add(oid))
            {
                request.CertificateExtensions.Add(extension);
            }
            else
            {
                var placeholder = $"1.3.6.1.4.1.55555.77.{placeholders.Count + 1}";
                placeholders[placeholder] = oid;
                request.CertificateExtensions.Add(new X509Extension(placeholder, extension.RawData, extension.Critical));
            }
        }

        if (recipe.SubjectKeyIdentifier)
        {
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        }

        if (recipe.AuthorityKeyIdentifier && issuer is not null)
        {
            var issuerKeyId = new X509SubjectKeyIdentifierExtension(issuer.PublicKey, critical: false).SubjectKeyIdentifierBytes.Span;
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerKeyId));
        }

        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial));
        Array.Reverse(serial);
        var notBefore = Truncate(at + recipe.NotBefore);
        var notAfter = Truncate(at + recipe.NotAfter);
        var generator = new Generator(issuerKey, recipe.Signature);
        if (placeholders.Count == 0)
        {
            using var issued = request.Create(issuer?.SubjectName ?? subject, generator, notBefore, notAfter, serial);
            return X509CertificateLoader.LoadCertificate(issued.RawData);
        }

        var capture = new Capture(generator);
        request.Create(issuer?.SubjectName ?? subject, capture, notBefore, notAfter, serial).Dispose();
        var tbs = Renamed(capture.Tbs!, placeholders);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs);
            writer.WriteEncodedValue(generator.GetSignatureAlgorithmIdentifier(HashAlgorithmName.SHA256));
            writer.WriteBitString(generator.SignData(tbs, HashAlgorithmName.SHA256));
        }

        return X509CertificateLoader.LoadCertificate(writer.Encode());
    }

    /// <summary>The TBSCertificate with each placeholder extension OID put back to the OID it stands for.</summary>
    private static byte[] Renamed(byte[] tbs, Dictionary<string, string> placeholders)
    {
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
        var reader = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            while (reader.HasData)
            {
                if (!reader.PeekTag().HasSameClassAndValue(extensionsTag))
                {
                    writer.WriteEncodedValue(reader.ReadEncodedValue().Span);
                    continue;
                }

                var list = reader.ReadSequence(extensionsTag).ReadSequence();
                using (writer.PushSequence(extensionsTag))
                using (writer.PushSequence())
                {
                    while (list.HasData)
                    {
                        var extension = list.ReadSequence();
                        var oid = extension.ReadObjectIdentifier();
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(placeholders.GetValueOrDefault(oid, oid));
                            while (extension.HasData)
                            {
                                writer.WriteEncodedValue(extension.ReadEncodedValue().Span);
                            }
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>Keeps the TBSCertificate it is asked to sign, and signs nothing.</summary>
    private sealed class Capture(X509SignatureGenerator inner) : X509SignatureGenerator
    {
        public byte[]? Tbs { get; private set; }

        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => inner.GetSignatureAlgorithmIdentifier(hashAlgorithm);

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
        {
            Tbs = data;
            return [0];
        }

        protected override PublicKey BuildPublicKey() => throw new NotSupportedException();
    }

    private static DateTimeOffset Truncate(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);

    private AsymmetricAlgorithm Key(KeyKind kind)
    {
        // Two keys of a kind at most, handed out in turn: a chain never signs with the key it certifies by accident
        // more than a real CA would, and generation stays fast.
        if (!_pool.TryGetValue(kind, out var queue))
        {
            queue = new Queue<AsymmetricAlgorithm>();
            for (var i = 0; i < 2; i++)
            {
                AsymmetricAlgorithm key = kind switch
                {
                    KeyKind.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
                    KeyKind.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
                    KeyKind.EcP521 => ECDsa.Create(ECCurve.NamedCurves.nistP521),
                    KeyKind.EcP224 => ECDsa.Create(ECCurve.CreateFromFriendlyName("secp224r1")),
                    KeyKind.Rsa1024 => RSA.Create(1024),
                    KeyKind.Rsa3072 => RSA.Create(3072),
                    _ => RSA.Create(2048),
                };
                _all.Add(key);
                queue.Enqueue(key);
            }

            _pool[kind] = queue;
        }

        var next = queue.Dequeue();
        queue.Enqueue(next);
        return next;
    }

    private static PublicKey PublicKeyOf(AsymmetricAlgorithm key, KeyKind kind)
    {
        if (key is ECDsa ec)
        {
            return new PublicKey(ec);
        }

        var rsa = (RSA)key;
        var oid = kind switch
        {
            KeyKind.Rsa2048UnderPssOid => "1.2.840.113549.1.1.10",
            KeyKind.Rsa2048UnderX500Oid => "2.5.8.1.1",
            _ => null,
        };
        if (oid is null)
        {
            return new PublicKey(rsa);
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(oid);
            }

            writer.WriteBitString(rsa.ExportRSAPublicKey());
        }

        return PublicKey.CreateFromSubjectPublicKeyInfo(writer.Encode(), out _);
    }

    /// <summary>Signs with the issuer's key as the recipe says, writing the recipe's AlgorithmIdentifier.</summary>
    private sealed class Generator(AsymmetricAlgorithm key, SignatureKind kind) : X509SignatureGenerator
    {
        private SignatureKind Effective => kind != SignatureKind.Default ? kind : key is ECDsa ? SignatureKind.EcdsaSha256 : SignatureKind.Sha256Rsa;

        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => Effective switch
        {
            SignatureKind.Sha256Rsa => AlgorithmForge.Algorithm("1.2.840.113549.1.1.11", AlgorithmForge.Null),
            SignatureKind.Sha384Rsa => AlgorithmForge.Algorithm("1.2.840.113549.1.1.12", AlgorithmForge.Null),
            SignatureKind.Sha512Rsa => AlgorithmForge.Algorithm("1.2.840.113549.1.1.13", AlgorithmForge.Null),
            SignatureKind.Sha256RsaNoNull => AlgorithmForge.Algorithm("1.2.840.113549.1.1.11", null),
            SignatureKind.Sha1Rsa => AlgorithmForge.Algorithm("1.2.840.113549.1.1.5", AlgorithmForge.Null),
            SignatureKind.Md5Rsa => AlgorithmForge.Algorithm("1.2.840.113549.1.1.4", AlgorithmForge.Null),
            SignatureKind.OiwSha1Rsa => AlgorithmForge.Algorithm("1.3.14.3.2.29", AlgorithmForge.Null),
            SignatureKind.OiwMd5Rsa => AlgorithmForge.Algorithm("1.3.14.3.2.3", AlgorithmForge.Null),
            SignatureKind.PssSha256 => AlgorithmForge.Algorithm("1.2.840.113549.1.1.10", AlgorithmForge.PssParameters("2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.1", 32)),
            SignatureKind.PssSha384 => AlgorithmForge.Algorithm("1.2.840.113549.1.1.10", AlgorithmForge.PssParameters("2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.2", 48)),
            SignatureKind.PssSha512 => AlgorithmForge.Algorithm("1.2.840.113549.1.1.10", AlgorithmForge.PssParameters("2.16.840.1.101.3.4.2.3", "2.16.840.1.101.3.4.2.3", 64)),
            SignatureKind.PssDefaults => AlgorithmForge.Algorithm("1.2.840.113549.1.1.10", [0x30, 0x00]),
            SignatureKind.PssNoParameters => AlgorithmForge.Algorithm("1.2.840.113549.1.1.10", null),
            SignatureKind.EcdsaSha256 => AlgorithmForge.Algorithm("1.2.840.10045.4.3.2", null),
            SignatureKind.EcdsaSha384 => AlgorithmForge.Algorithm("1.2.840.10045.4.3.3", null),
            SignatureKind.EcdsaSha512 => AlgorithmForge.Algorithm("1.2.840.10045.4.3.4", null),
            SignatureKind.EcdsaSha1 => AlgorithmForge.Algorithm("1.2.840.10045.4.1", null),
            SignatureKind.EcdsaSha256WithNull => AlgorithmForge.Algorithm("1.2.840.10045.4.3.2", AlgorithmForge.Null),
            SignatureKind.UnknownOid => AlgorithmForge.Algorithm("1.3.6.1.4.1.55555.1.2", null),
            _ => throw new ArgumentOutOfRangeException(nameof(hashAlgorithm)),
        };

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
        {
            var (hash, pss) = Effective switch
            {
                SignatureKind.Sha384Rsa or SignatureKind.EcdsaSha384 => (HashAlgorithmName.SHA384, false),
                SignatureKind.Sha512Rsa or SignatureKind.EcdsaSha512 => (HashAlgorithmName.SHA512, false),
                SignatureKind.Sha1Rsa or SignatureKind.OiwSha1Rsa or SignatureKind.EcdsaSha1 => (HashAlgorithmName.SHA1, false),
                SignatureKind.Md5Rsa or SignatureKind.OiwMd5Rsa => (HashAlgorithmName.MD5, false),
                SignatureKind.PssSha256 => (HashAlgorithmName.SHA256, true),
                SignatureKind.PssSha384 => (HashAlgorithmName.SHA384, true),
                SignatureKind.PssSha512 => (HashAlgorithmName.SHA512, true),
                SignatureKind.PssDefaults or SignatureKind.PssNoParameters => (HashAlgorithmName.SHA1, true),
                _ => (HashAlgorithmName.SHA256, false),
            };
            return key switch
            {
                ECDsa ec => ec.SignData(data, hash, DSASignatureFormat.Rfc3279DerSequence),
                RSA rsa => rsa.SignData(data, hash, pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
                _ => throw new NotSupportedException(),
            };
        }

        protected override PublicKey BuildPublicKey() => throw new NotSupportedException("the request carries the subject key");
    }
}
