using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PrivateCa.Analyzers.Internal;

/// <summary>
/// Judges the body of a server certificate validation callback: a delegate returning bool with certificate, chain and
/// SslPolicyErrors parameters (ServerCertificateCustomValidationCallback, RemoteCertificateValidationCallback,
/// ServicePointManager.ServerCertificateValidationCallback, SslClientAuthenticationOptions.RemoteCertificateValidationCallback).
/// The types are resolved once a compilation, so each check is a symbol comparison.
/// </summary>
internal sealed class ValidationCallback
{
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    private readonly INamedTypeSymbol _policyErrors;
    private readonly INamedTypeSymbol _certificate;
    private readonly INamedTypeSymbol? _certificate2;
    private readonly INamedTypeSymbol _chain;
    private readonly INamedTypeSymbol? _chainPolicy;
    private readonly INamedTypeSymbol? _remoteCallback;
    private readonly INamedTypeSymbol? _request;
    private readonly INamedTypeSymbol? _serverOptions;

    private ValidationCallback(Compilation compilation, INamedTypeSymbol policyErrors, INamedTypeSymbol certificate, INamedTypeSymbol chain)
    {
        _certificate2 = compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509Certificate2");
        _chainPolicy = compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509ChainPolicy");
        _remoteCallback = compilation.GetTypeByMetadataName("System.Net.Security.RemoteCertificateValidationCallback");
        _request = compilation.GetTypeByMetadataName("System.Net.Http.HttpRequestMessage");
        _serverOptions = compilation.GetTypeByMetadataName("System.Net.Security.SslServerAuthenticationOptions");
        _policyErrors = policyErrors;
        _certificate = certificate;
        _chain = chain;
    }

    /// <summary>The callback types of this compilation; null when it cannot see them, so it has no callback to judge.</summary>
    public static ValidationCallback? For(Compilation compilation)
    {
        var errors = compilation.GetTypeByMetadataName("System.Net.Security.SslPolicyErrors");
        var certificate = compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509Certificate");
        var chain = compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509Chain");
        return errors is null || certificate is null || chain is null
            ? null
            : new ValidationCallback(compilation, errors, certificate, chain);
    }

    /// <summary>
    /// Whether a delegate creation makes a callback that judges a server: a RemoteCertificateValidationCallback (except
    /// the one of SslServerAuthenticationOptions, which judges clients), or a delegate whose first parameter is the
    /// HttpRequestMessage (ServerCertificateCustomValidationCallback). Client-certificate validators such as Kestrel's
    /// ClientCertificateValidation are not this rule's subject.
    /// </summary>
    public bool JudgesServer(IDelegateCreationOperation creation)
    {
        if (creation.Type is not INamedTypeSymbol { DelegateInvokeMethod: { } invoke } type)
        {
            return false;
        }

        if (Is(type, _remoteCallback))
        {
            return creation.Parent is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.ContainingType: var owner } }
                || !Is(owner, _serverOptions);
        }

        return invoke.Parameters.Length > 0 && Is(invoke.Parameters[0].Type, _request);
    }

    /// <summary>The SslPolicyErrors parameter of a validation callback's signature; null when the method is not one.</summary>
    public IParameterSymbol? PolicyErrorsParameter(IMethodSymbol? method)
    {
        if (method is null || method.ReturnType.SpecialType != SpecialType.System_Boolean)
        {
            return null;
        }

        IParameterSymbol? errors = null;
        bool certificate = false, chain = false;
        foreach (var parameter in method.Parameters)
        {
            var type = parameter.Type;
            if (Is(type, _policyErrors))
            {
                errors = parameter;
            }
            else if (Is(type, _certificate) || Is(type, _certificate2))
            {
                certificate = true;
            }
            else if (Is(type, _chain))
            {
                chain = true;
            }
        }

        // The (certificate, chain, errors) triple is what makes a delegate a server certificate validation callback.
        return certificate && chain ? errors : null;
    }

    /// <summary>
    /// Why the body accepts any server, or null when it judges the server. <paramref name="bodyOf"/> gives the body of
    /// a method declared in this compilation (null otherwise), so helpers the callback returns through are judged too.
    /// </summary>
    public static string? WhyAcceptsAny(IOperation body, IParameterSymbol errors, Func<IMethodSymbol, IOperation?> bodyOf)
    {
        var callback = CallbackBody.Of(body, bodyOf);

        // A callback that returns true everywhere but throws on a bad server rejects by throwing (PrivateCa's own shape).
        if (callback.Returns.Count > 0 && !callback.Throws)
        {
            if (callback.Returns.All(value => value.ConstantValue is { HasValue: true, Value: true }))
            {
                return "the callback returns true on every path";
            }

            if (ReturnEvaluator.TrueForEveryErrors(callback, errors, bodyOf))
            {
                return "the callback returns true whatever SslPolicyErrors the platform reports, so the host-name and chain errors it found are dropped";
            }
        }

        // One that returns false everywhere rejects every server: wrong, but no trust hole.
        var rejectsAll = callback.Returns.Count > 0 && callback.Returns.All(value => value.ConstantValue is { HasValue: true, Value: false });
        return callback.References(errors) || rejectsAll
            ? null
            : "the callback never reads its SslPolicyErrors argument, so the host-name and chain errors the platform found are dropped";
    }

    /// <summary>The TrustMode = CustomRootTrust assignment in a body that never adds the server-authentication policy; null when there is none or the policy is added.</summary>
    public IOperation? CustomRootWithoutServerAuth(IOperation body)
    {
        IOperation? customRoot = null;
        var addsServerAuth = false;
        foreach (var operation in CallbackBody.OwnOperations(body))
        {
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "TrustMode" } property } } assignment
                && Is(property.ContainingType, _chainPolicy)
                && assignment.Value.ConstantValue is { HasValue: true, Value: 1 })
            {
                customRoot ??= assignment;
            }
            else if (operation.ConstantValue is { HasValue: true, Value: ServerAuthOid })
            {
                addsServerAuth = true;
            }
        }

        return addsServerAuth ? null : customRoot;
    }

    private static bool Is(ITypeSymbol type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);
}
