using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;
using PrivateCa.X509.Internal;

namespace PrivateCa.Tests.X509.Internal;

public sealed class CertificateParserTests
{
    [Fact]
    public void Parse_EveryDebianRoot_AgreesWithThePlatformDecoder()
    {
        var platform = new X509Certificate2Collection();
        platform.ImportFromPemFile("/etc/ssl/certs/ca-certificates.crt");

        foreach (var certificate in platform)
        {
            var (facts, length) = CertificateParser.Parse(certificate.RawData);

            length.Should().Be(certificate.RawData.Length);
            facts.Subject.ToArray().Should().Equal(certificate.SubjectName.RawData);
            facts.Issuer.ToArray().Should().Equal(certificate.IssuerName.RawData);
            facts.NotAfter.UtcDateTime.Should().Be(certificate.NotAfter.ToUniversalTime());
            facts.NotBefore.UtcDateTime.Should().Be(certificate.NotBefore.ToUniversalTime());
            facts.Version.Should().Be(certificate.Version);
            facts.SignatureAlgorithm.Should().Be(certificate.SignatureAlgorithm.Value);
            facts.PublicKeyAlgorithm.Should().Be(certificate.PublicKey.Oid.Value);
            facts.SubjectPublicKeyInfo.ToArray().Should().Equal(certificate.PublicKey.ExportSubjectPublicKeyInfo());

            var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
            facts.BasicConstraintsCa.Should().Be(basic?.CertificateAuthority);
            facts.BasicConstraintsCritical.Should().Be(basic?.Critical ?? false);
            facts.PathLengthConstraint.Should().Be(basic is { HasPathLengthConstraint: true } ? basic.PathLengthConstraint : null);
            facts.KeyUsage.Should().Be((int?)certificate.Extensions.OfType<X509KeyUsageExtension>().SingleOrDefault()?.KeyUsages);
            var ski = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().SingleOrDefault();
            facts.SubjectKeyIdentifier.ToArray().Should().Equal(ski?.SubjectKeyIdentifierBytes.ToArray() ?? []);
            if (certificate.GetRSAPublicKey() is { } rsa)
            {
                facts.RsaKeySize.Should().Be(rsa.KeySize);
                rsa.Dispose();
            }
        }
    }

    [Fact]
    public void Parse_SignatureWithNonZeroPaddingBits_IsRefusedAsThePlatformWouldWriteOtherBytes()
    {
        // Not DER (padding bits must be zero): the BER walk and OpenSSL accept it, but the platform writes the signature back
        // with the bits cleared, so its certificate's fingerprint would not be the one the loader reports.
        var (tbs, algorithm, signature) = Parts(Pki.Root("Padding Bits Root").RawData);
        signature[0] = 2;
        signature[^1] |= 0b11;
        var der = Sequence([.. tbs, .. algorithm, .. Encoded(0x03, signature, longLength: false)]);
        using (var platform = X509CertificateLoader.LoadCertificate(der))
        {
            platform.RawData.Should().NotEqual(der, "the test needs a certificate the platform re-encodes");
        }

        var act = () => CertificateParser.Parse(der);

        act.Should().Throw<AsnContentException>().WithMessage("*platform*");
    }

    [Fact]
    public void Parse_BerInsideTheSignedPart_IsAcceptedWhenThePlatformKeepsItsBytes()
    {
        // A non-minimal length in the serial number: BER that OpenSSL keeps byte for byte (it keeps the signed part as read).
        var (tbs, algorithm, signature) = Parts(Pki.Root("Long Length Root").RawData);
        var fields = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
        var version = fields.ReadEncodedValue().ToArray();
        var serial = new AsnReader(fields.ReadEncodedValue(), AsnEncodingRules.DER).ReadIntegerBytes().ToArray();
        var rest = fields.ReadEncodedValue().ToArray().Concat(Remaining(fields)).ToArray();
        var berTbs = Sequence([.. version, .. Encoded(0x02, serial, longLength: true), .. rest]);
        var der = Sequence([.. berTbs, .. algorithm, .. Encoded(0x03, signature, longLength: false)]);
        using (var platform = X509CertificateLoader.LoadCertificate(der))
        {
            platform.RawData.Should().Equal(der, "the test needs BER the platform keeps");
        }

        var (_, length) = CertificateParser.Parse(der);

        length.Should().Be(der.Length);
    }

    /// <summary>The encoded TBS, the encoded outer signature algorithm and the signature BIT STRING's contents (unused-bits octet first).</summary>
    private static (byte[] Tbs, byte[] Algorithm, byte[] Signature) Parts(byte[] certificate)
    {
        var outer = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadEncodedValue().ToArray();
        var algorithm = outer.ReadEncodedValue().ToArray();
        var signature = outer.ReadEncodedValue().ToArray();
        return (tbs, algorithm, signature[2..]); // an ECDSA signature is under 128 bytes: a one-octet length
    }

    private static IEnumerable<byte> Remaining(AsnReader reader)
    {
        while (reader.HasData)
        {
            foreach (var b in reader.ReadEncodedValue().ToArray())
            {
                yield return b;
            }
        }
    }

    private static byte[] Sequence(byte[] contents) => Encoded(0x30, contents, longLength: false);

    /// <summary>Tag, length and contents; <paramref name="longLength"/> writes a short length in the long form, which only BER allows.</summary>
    private static byte[] Encoded(byte tag, byte[] contents, bool longLength)
    {
        byte[] length = contents.Length switch
        {
            < 128 when !longLength => [(byte)contents.Length],
            < 256 => [0x81, (byte)contents.Length],
            _ => [0x82, (byte)(contents.Length >> 8), (byte)contents.Length],
        };
        return [tag, .. length, .. contents];
    }
}
