using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using PrivateCa.X509.Internal;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// Decodes bundle bytes: PEM blocks (certificates, OpenSSL's TRUSTED CERTIFICATE, PKCS#7), DER certificates and
/// PKCS#7 bags. Each certificate found goes to <see cref="BundleAssembly"/>; damage goes to its one malformed-input policy.
/// </summary>
internal sealed class BundleDecoder
{
    private readonly BundleAssembly _assembly;

    public BundleDecoder(BundleAssembly assembly) => _assembly = assembly;

    public int ReadContent(ReadOnlyMemory<byte> content, string source, string? variable)
    {
        var before = _assembly.EntryCount;
        var data = content.Span.StartsWith(Encoding.UTF8.Preamble) ? content[Encoding.UTF8.Preamble.Length..] : content;
        var found = false;
        if (data.Length > 0 && data.Span[0] == 0x30)
        {
            ReadBinary(data, source, variable);
            found = true;
        }
        else
        {
            var scan = PemScanner.Scan(data.Span);
            foreach (var block in scan.Blocks)
            {
                ReadPemBlock(data.Span.Slice(block.BodyStart, block.BodyLength), block, source, variable);
            }

            if (scan.Error is { } error)
            {
                _assembly.Malformed(source, variable, scan.ErrorLine, error, "Repair or remove the damaged block (was the file cut or edited by hand?).");
            }

            found = scan.Blocks.Count > 0 || scan.Error is not null;
        }

        if (!found && _assembly.EntryCount == before)
        {
            throw new CertificateBundleException(source, variable, null,
                "no certificate: the content is neither PEM ('-----BEGIN CERTIFICATE-----') nor DER",
                "Point it at a CA bundle in PEM, DER or PKCS#7 form.");
        }

        return _assembly.EntryCount - before;
    }

    public void ReadBinary(ReadOnlyMemory<byte> data, string source, string? variable)
    {
        try
        {
            if (LooksLikeContentInfo(data))
            {
                ReadPkcs7(data, source, null);
            }
            else
            {
                AsnDecoder.ReadEncodedValue(data.Span, AsnEncodingRules.BER, out _, out _, out var consumed);
                if (consumed != data.Length)
                {
                    throw new AsnContentException($"{data.Length - consumed} bytes follow the certificate");
                }

                _assembly.AddCertificate(data.ToArray(), source, null);
            }
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            _assembly.Malformed(source, variable, null, $"the DER does not parse as a certificate or PKCS#7 bag ({ex.Message})",
                "Re-export the certificate (for example 'openssl x509 -in cert -outform PEM').");
        }
    }

    public void ReadPemBlock(ReadOnlySpan<byte> body, PemBlock block, string source, string? variable)
    {
        if (PemScanner.IsPrivateKey(block.Label))
        {
            _assembly.Diagnose(new BundleDiagnostic(BundleDiagnosticCode.PrivateKeyBlock, BundleDiagnosticSeverity.Warning, source, block.Line, null, null,
                $"{source} line {block.Line}: a private-key block in a trust bundle was not loaded (its content is not shown). A private key does not belong in a CA bundle that is shared with clients; remove it and treat the key as exposed."));
            return;
        }

        var kind = block.Label switch
        {
            "CERTIFICATE" or "X509 CERTIFICATE" => PemBlockKind.Certificate,
            "TRUSTED CERTIFICATE" => PemBlockKind.Trusted,
            "PKCS7" or "CMS" => PemBlockKind.Pkcs7,
            _ => PemBlockKind.Other,
        };
        if (kind == PemBlockKind.Other)
        {
            _assembly.Diagnose(new BundleDiagnostic(BundleDiagnosticCode.SkippedBlock, BundleDiagnosticSeverity.Information, source, block.Line, null, null,
                $"{source} line {block.Line}: a '{block.Label}' block holds no certificate and was skipped."));
            return;
        }

        if (PemScanner.DecodeBody(body) is not { } der)
        {
            _assembly.Malformed(source, variable, block.Line, $"bad base64 in the '{block.Label}' block", "Repair or remove the damaged block.");
            return;
        }

        try
        {
            switch (kind)
            {
                case PemBlockKind.Certificate:
                    _assembly.AddCertificate(der, source, block.Line);
                    break;
                case PemBlockKind.Trusted:
                    ReadTrustedCertificate(der, source, block.Line);
                    break;
                default:
                    ReadPkcs7(der, source, block.Line);
                    break;
            }
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            _assembly.Malformed(source, variable, block.Line, $"the '{block.Label}' block does not hold a valid {(kind == PemBlockKind.Pkcs7 ? "PKCS#7 bag" : "certificate")} ({ex.Message})",
                "Repair or remove the damaged block.");
        }
    }

    public void ReadTrustedCertificate(byte[] der, string source, int? line)
    {
        // OpenSSL's TRUSTED CERTIFICATE: a certificate followed by X509_CERT_AUX trust settings.
        AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.BER, out _, out _, out var consumed);
        var certificate = der.AsSpan(0, consumed).ToArray();
        var (facts, _) = CertificateParser.Parse(certificate);
        var entry = new CertificateEntry(certificate, facts, source, line);

        var trusted = new List<string>();
        var rejected = new List<string>();
        if (consumed < der.Length)
        {
            var aux = new AsnReader(der.AsMemory(consumed), AsnEncodingRules.BER);
            var sequence = aux.ReadSequence();
            aux.ThrowIfNotEmpty();
            if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var list = sequence.ReadSequence();
                while (list.HasData)
                {
                    trusted.Add(list.ReadObjectIdentifier());
                }
            }

            var rejectTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(rejectTag))
            {
                var list = sequence.ReadSequence(rejectTag);
                while (list.HasData)
                {
                    rejected.Add(list.ReadObjectIdentifier());
                }
            }
        }

        static bool ForServers(List<string> oids) => oids.Contains(Oids.ServerAuth) || oids.Contains(Oids.AnyExtendedKeyUsage);
        if (ForServers(rejected) || (trusted.Count > 0 && !ForServers(trusted)))
        {
            // Explicit distrust wins over any other copy of the same certificate.
            _assembly.Distrust(certificate);
            _assembly.Diagnose(new BundleDiagnostic(BundleDiagnosticCode.OpenSslTrustSettings, BundleDiagnosticSeverity.Warning, source, line, entry.SubjectName, entry.Sha256Hex,
                $"{source}{BundleAssembly.At(line)}: the TRUSTED CERTIFICATE {entry.SubjectText} is not trusted for server authentication by its own OpenSSL trust settings, so it was not loaded."));
            return;
        }

        _assembly.Diagnose(new BundleDiagnostic(BundleDiagnosticCode.OpenSslTrustSettings, BundleDiagnosticSeverity.Information, source, line, entry.SubjectName, entry.Sha256Hex,
            $"{source}{BundleAssembly.At(line)}: the TRUSTED CERTIFICATE {entry.SubjectText} was loaded; its OpenSSL trust settings allow server authentication."));
        _assembly.AddCertificate(certificate, source, line);
    }

    public void ReadPkcs7(ReadOnlyMemory<byte> data, string source, int? line)
    {
        var reader = new AsnReader(data, AsnEncodingRules.BER);
        var contentInfo = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var contentType = contentInfo.ReadObjectIdentifier();
        if (contentType != Oids.Pkcs7SignedData)
        {
            throw new AsnContentException($"PKCS#7 content type {contentType} is not signedData");
        }

        var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence();
        signedData.ReadInteger();
        signedData.ReadSetOf(skipSortOrderValidation: true);
        signedData.ReadSequence();
        var certificatesTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        var count = 0;
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(certificatesTag))
        {
            var certificates = signedData.ReadSetOf(skipSortOrderValidation: true, expectedTag: certificatesTag);
            while (certificates.HasData)
            {
                var tag = certificates.PeekTag();
                var encoded = certificates.ReadEncodedValue();
                if (tag.HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    _assembly.AddCertificate(encoded.ToArray(), source, line);
                    count++;
                }
                else
                {
                    _assembly.Diagnose(new BundleDiagnostic(BundleDiagnosticCode.SkippedBlock, BundleDiagnosticSeverity.Information, source, line, null, null,
                        $"{source}{BundleAssembly.At(line)}: a PKCS#7 entry that is not an X.509 certificate (tag {tag}) was skipped."));
                }
            }
        }

        if (count == 0)
        {
            throw new AsnContentException("the PKCS#7 bag holds no certificate");
        }
    }

    private static bool LooksLikeContentInfo(ReadOnlyMemory<byte> data)
    {
        try
        {
            var sequence = new AsnReader(data, AsnEncodingRules.BER).ReadSequence();
            return sequence.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }
}
