using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PrivateCa.Cli;

/// <summary>Human-readable text by default; one JSON document with --json.</summary>
internal static class Output
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Json(TextWriter writer, JsonNode node) => writer.WriteLine(node.ToJsonString(Indented));

    public static JsonObject Certificate(X509Certificate2 certificate, string? source = null)
    {
        var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var node = new JsonObject
        {
            ["subject"] = certificate.Subject,
            ["issuer"] = certificate.Issuer,
            ["sha256"] = certificate.GetCertHashString(HashAlgorithmName.SHA256),
            ["notBefore"] = certificate.NotBefore.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["notAfter"] = certificate.NotAfter.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["ca"] = basic?.CertificateAuthority ?? false,
        };
        if (source is not null)
        {
            node["source"] = source;
        }

        return node;
    }

    public static string Describe(X509Certificate2 certificate)
    {
        var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        return string.Create(CultureInfo.InvariantCulture,
            $"{certificate.Subject}\n    issuer    {certificate.Issuer}\n    sha256    {certificate.GetCertHashString(HashAlgorithmName.SHA256)}\n    notAfter  {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z\n    ca        {(basic?.CertificateAuthority == true ? "yes" : "no")}");
    }

    /// <summary>Bad input gets one clear line on standard error, never a stack trace.</summary>
    public static int Fail(TextWriter error, int code, string message)
    {
        error.WriteLine($"privateca: {message}");
        return code;
    }
}
