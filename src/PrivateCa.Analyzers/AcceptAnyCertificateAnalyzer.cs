using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PrivateCa.Analyzers.Internal;

namespace PrivateCa.Analyzers;

/// <summary>
/// Finds server certificate validation that accepts any server (PCA001) and callbacks that build a custom-root chain
/// without the server-authentication policy (PCA002).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AcceptAnyCertificateAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [Descriptors.AcceptsAnyServer, Descriptors.CustomRootWithoutServerAuth];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Code that cannot see SslPolicyErrors has no validation callback to judge: cost nothing there.
            if (ValidationCallback.For(start.Compilation) is not { } callbacks)
            {
                return;
            }

            var handler = start.Compilation.GetTypeByMetadataName("System.Net.Http.HttpClientHandler");
            if (handler is not null)
            {
                start.RegisterOperationAction(c => AnalyzePropertyReference(c, handler), OperationKind.PropertyReference);
            }

            start.RegisterOperationAction(c => AnalyzeDelegateCreation(c, callbacks), OperationKind.DelegateCreation);
        });
    }

    private static void AnalyzePropertyReference(OperationAnalysisContext context, INamedTypeSymbol handler)
    {
        var property = ((IPropertyReferenceOperation)context.Operation).Property;
        if (property is { Name: "DangerousAcceptAnyServerCertificateValidator", IsStatic: true } && SymbolEqualityComparer.Default.Equals(property.ContainingType, handler))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.AcceptsAnyServer, context.Operation.Syntax.GetLocation(),
                "HttpClientHandler.DangerousAcceptAnyServerCertificateValidator accepts every certificate"));
        }
    }

    private static void AnalyzeDelegateCreation(OperationAnalysisContext context, ValidationCallback callbacks)
    {
        var creation = (IDelegateCreationOperation)context.Operation;
        if (!callbacks.JudgesServer(creation))
        {
            return;
        }

        var (body, errors, location) = creation.Target switch
        {
            IAnonymousFunctionOperation lambda => (lambda.Body, callbacks.PolicyErrorsParameter(lambda.Symbol), lambda.Syntax.GetLocation()),
            IMethodReferenceOperation reference => (BodyOf(reference.Method, context), callbacks.PolicyErrorsParameter(reference.Method), reference.Syntax.GetLocation()),
            _ => (null, null, null),
        };
        if (body is null || errors is null || location is null)
        {
            return;
        }

        if (ValidationCallback.WhyAcceptsAny(body, errors, method => BodyOf(method, context)) is { } why)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.AcceptsAnyServer, location, why));
        }

        if (callbacks.CustomRootWithoutServerAuth(body) is { } customRoot)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.CustomRootWithoutServerAuth, customRoot.Syntax.GetLocation()));
        }
    }

    /// <summary>The body of a method named as a callback or called from one, when its source is in this compilation; metadata methods are not judged.</summary>
    private static IOperation? BodyOf(IMethodSymbol method, OperationAnalysisContext context)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(context.CancellationToken);
            var model = syntax.SyntaxTree == context.Operation.SemanticModel?.SyntaxTree
                ? context.Operation.SemanticModel
#pragma warning disable RS1030 // A method group's body may live in another file; only that file's model can bind it.
                : context.Compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            switch (model?.GetOperation(syntax, context.CancellationToken))
            {
                case IMethodBodyOperation body:
                    return (IOperation?)body.BlockBody ?? body.ExpressionBody;
                case ILocalFunctionOperation local:
                    return local.Body;
            }
        }

        return null;
    }
}
