using Microsoft.CodeAnalysis;

namespace PrivateCa.Analyzers.Internal;

/// <summary>The diagnostics this package reports; each links the README section that explains it and its fix.</summary>
internal static class Descriptors
{
    public const string HelpLink = "https://github.com/privateca/privateca#finding-accept-any-code";

    public static readonly DiagnosticDescriptor AcceptsAnyServer = new(
        id: "PCA001",
        title: "Certificate validation accepts any server",
        messageFormat: "Certificate validation accepts any server: {0}; anyone on the network path can impersonate the endpoint. Trust the private CA instead (AddPrivateCaTrust() or TrustedHandlerFactory); see the README section \"Finding accept-any code\" (" + HelpLink + ").",
        category: "Security",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A server certificate validation callback that returns true on every path (a constant, or a value true for every SslPolicyErrors value, also through a helper method of the same compilation), or never reads its SslPolicyErrors argument, accepts a self-signed certificate, another host's certificate or an expired one. PrivateCa trusts the private CA's bundle while still checking host name, validity, key usage and constraints.",
        helpLinkUri: HelpLink);

    public static readonly DiagnosticDescriptor CustomRootWithoutServerAuth = new(
        id: "PCA002",
        title: "Custom root trust without a server-authentication application policy",
        messageFormat: "X509ChainPolicy uses CustomRootTrust in a validation callback without the server-authentication application policy (1.3.6.1.5.5.7.3.1): a certificate issued for code signing, e-mail or client authentication would be accepted as a server. Add chain.ChainPolicy.ApplicationPolicy.Add(new Oid(\"1.3.6.1.5.5.7.3.1\")) or use PrivateCa; see the README section \"Finding accept-any code\" (" + HelpLink + ").",
        category: "Security",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "X509Chain.Build checks extended key usage only for the application policies it is given. SslStream adds server authentication to its own chain, but a chain built in a callback has none unless the code adds it.",
        helpLinkUri: HelpLink);
}
