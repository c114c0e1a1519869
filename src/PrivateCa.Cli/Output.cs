using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PrivateCa.Cli;

/// <summary>Human-readable text by default; one JSON document with --json. Text from input is escaped before it is printed.</summary>
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
            $"{Escape(certificate.Subject)}\n    issuer    {Escape(certificate.Issuer)}\n    sha256    {certificate.GetCertHashString(HashAlgorithmName.SHA256)}\n    validity  {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z\n    ca        {(basic?.CertificateAuthority == true ? "yes" : "no")}");
    }

    /// <summary>
    /// Control characters (C0, DEL, C1, Unicode line and paragraph separators, bidi controls) and the backslash become escapes,
    /// so a name read from a certificate or a file can never start a new line of output or of a written bundle.
    /// </summary>
    public static string Escape(string text)
    {
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!NeedsEscape(c))
            {
                escaped.Append(c);
            }
            else if (c == '\\')
            {
                escaped.Append(@"\\");
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return escaped.ToString();
    }

    /// <summary>A proxy as it may be printed: scheme, host and port, never the user name and password of http://user:pass@proxy.</summary>
    public static string Proxy(Uri proxy) => proxy.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    /// <summary>Every failure is one line on standard error, never a stack trace.</summary>
    public static int Fail(TextWriter error, int code, string message)
    {
        error.WriteLine($"privateca: {Escape(message)}");
        return code;
    }

    private static bool NeedsEscape(char c) => c is < ' ' or '\\' or (>= '\u007F' and <= '\u009F') or '\u2028' or '\u2029'
        or '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'); // bidi controls reorder what is shown
}
