using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using PrivateCa.Analyzers.Internal;

namespace PrivateCa.Analyzers;

/// <summary>
/// Replaces the two common accept-any shapes with PrivateCa trust: a handler configured in
/// <c>AddHttpClient(...).ConfigurePrimaryHttpMessageHandler(...)</c> becomes <c>.AddPrivateCaTrust()</c>, and
/// <c>new HttpClient(new HttpClientHandler { ... })</c> takes its handler from <c>TrustedHandlerFactory</c>.
/// Offered only when the handler sets nothing but the callback, so no other setting is dropped silently.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AcceptAnyCertificateCodeFixProvider))]
[Shared]
public sealed class AcceptAnyCertificateCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [Descriptors.AcceptsAnyServer.Id];

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, findInsideTrivia: false, getInnermostNodeForTie: true) is not { } node)
        {
            return;
        }

        var handler = node.AncestorsAndSelf().OfType<BaseObjectCreationExpressionSyntax>().FirstOrDefault(IsHandlerCreation);
        if (handler is null || !SetsOnlyTheCallback(handler))
        {
            return;
        }

        if (handler.Parent is LambdaExpressionSyntax { Parent: ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax configure } } }
            && configure.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigurePrimaryHttpMessageHandler" } access)
        {
            context.RegisterCodeFix(
                CodeAction.Create("Use AddPrivateCaTrust()", ct => ReplaceAsync(context.Document, configure, AddPrivateCaTrust(configure, access), null, ct), "PCA001.AddPrivateCaTrust"),
                context.Diagnostics);
        }
        else if (handler.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: ObjectCreationExpressionSyntax { Type: var clientType } } }
                 && LastName(clientType) == "HttpClient"
                 && handler is ObjectCreationExpressionSyntax { Type: var handlerType } && LastName(handlerType) == "HttpClientHandler")
        {
            context.RegisterCodeFix(
                CodeAction.Create("Use TrustedHandlerFactory", ct => ReplaceAsync(context.Document, handler, TrustedHandler(handler), "PrivateCa", ct), "PCA001.TrustedHandlerFactory"),
                context.Diagnostics);
        }
    }

    private static bool IsHandlerCreation(BaseObjectCreationExpressionSyntax creation) =>
        creation is ImplicitObjectCreationExpressionSyntax
        || (creation is ObjectCreationExpressionSyntax { Type: var type } && LastName(type) is "HttpClientHandler" or "SocketsHttpHandler");

    /// <summary>The handler's initializer sets the callback and nothing else (directly, or through SslOptions alone).</summary>
    private static bool SetsOnlyTheCallback(BaseObjectCreationExpressionSyntax handler)
    {
        if (handler.ArgumentList is { Arguments.Count: > 0 } || handler.Initializer is not { Expressions.Count: 1 } initializer || initializer.Expressions[0] is not AssignmentExpressionSyntax only)
        {
            return false;
        }

        if (only.Left is IdentifierNameSyntax { Identifier.ValueText: "ServerCertificateCustomValidationCallback" })
        {
            return true;
        }

        return only is { Left: IdentifierNameSyntax { Identifier.ValueText: "SslOptions" }, Right: BaseObjectCreationExpressionSyntax options }
            && options.ArgumentList is not { Arguments.Count: > 0 }
            && options.Initializer is { Expressions.Count: 1 } optionsInitializer
            && optionsInitializer.Expressions[0] is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "RemoteCertificateValidationCallback" } };
    }

    private static InvocationExpressionSyntax AddPrivateCaTrust(InvocationExpressionSyntax configure, MemberAccessExpressionSyntax access) =>
        SyntaxFactory.InvocationExpression(access.WithName(SyntaxFactory.IdentifierName("AddPrivateCaTrust")), SyntaxFactory.ArgumentList())
            .WithTriviaFrom(configure);

    private static ExpressionSyntax TrustedHandler(BaseObjectCreationExpressionSyntax handler) =>
        SyntaxFactory.ParseExpression("new TrustedHandlerFactory(new PrivateCaTrustOptions()).CreateHttpClientHandler()")
            .WithTriviaFrom(handler)
            .WithAdditionalAnnotations(Formatter.Annotation);

    private static async Task<Document> ReplaceAsync(Document document, SyntaxNode old, SyntaxNode replacement, string? requiredNamespace, CancellationToken cancellationToken)
    {
        var root = (CompilationUnitSyntax?)await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        root = root.ReplaceNode(old, replacement);
        if (requiredNamespace is not null && !root.Usings.Any(u => u.Name?.ToString() == requiredNamespace))
        {
            root = root.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(requiredNamespace)).WithAdditionalAnnotations(Formatter.Annotation));
        }

        return document.WithSyntaxRoot(root);
    }

    private static string? LastName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => null,
    };
}
