using System.Security.Cryptography.X509Certificates;
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
}
