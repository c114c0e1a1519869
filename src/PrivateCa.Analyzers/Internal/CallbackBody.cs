using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PrivateCa.Analyzers.Internal;

/// <summary>
/// What one body (a callback's, or a helper's it calls) returns and whether it throws, read once from its operations.
/// Returns and throws of lambdas and local functions declared in the body are theirs, not the body's.
/// </summary>
internal sealed class CallbackBody
{
    private readonly HashSet<IParameterSymbol> _referenced;
    private readonly HashSet<IParameterSymbol> _mayBeWritten;

    private CallbackBody(List<IOperation> returns, bool throws, HashSet<IParameterSymbol> referenced, HashSet<IParameterSymbol> mayBeWritten)
    {
        Returns = returns;
        Throws = throws;
        _referenced = referenced;
        _mayBeWritten = mayBeWritten;
    }

    /// <summary>The values of the body's own return statements (an expression body is one).</summary>
    public IReadOnlyList<IOperation> Returns { get; }

    /// <summary>Whether the body throws somewhere, itself or through a method of this compilation it calls (at most
    /// <see cref="MaxThrowDepth"/> calls deep): a callback or helper that throws on a bad server rejects it.</summary>
    public bool Throws { get; }

    /// <summary>How deep calls are followed to find a throw (validation helpers are rarely deeper).</summary>
    private const int MaxThrowDepth = 3;

    /// <param name="body">The body's operations.</param>
    /// <param name="bodyOf">The body of a method declared in this compilation, or null: a call to one that throws (say
    /// 'EnsureTrusted(chain)') rejects by throwing too; a call into a library ('Console.WriteLine(errors)') does not.</param>
    public static CallbackBody Of(IOperation body, Func<IMethodSymbol, IOperation?>? bodyOf = null) => Of(body, bodyOf, MaxThrowDepth);

    private static CallbackBody Of(IOperation body, Func<IMethodSymbol, IOperation?>? bodyOf, int depth)
    {
        var returns = new List<IOperation>();
        var throws = false;
        var referenced = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in OwnOperations(body))
        {
            switch (operation)
            {
                case IParameterReferenceOperation reference:
                    referenced.Add(reference.Parameter.OriginalDefinition);
                    break;
                case IThrowOperation throwOperation when !GuardsOnlyTheRequest(throwOperation, body):
                    throws = true;
                    break;
                case IInvocationOperation invocation when !throws && depth > 0 && bodyOf?.Invoke(invocation.TargetMethod) is { } callee:
                    throws = Of(callee, bodyOf, depth - 1).Throws;
                    break;
                case IReturnOperation { ReturnedValue: { } value }:
                    returns.Add(value);
                    break;
            }
        }

        // Nested lambdas and local functions count here: one of them may assign a parameter it captured.
        var mayBeWritten = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in body.DescendantsAndSelf())
        {
            if (operation is IParameterReferenceOperation reference && !IsPlainRead(reference))
            {
                mayBeWritten.Add(reference.Parameter.OriginalDefinition);
            }
        }

        return new CallbackBody(returns, throws, referenced, mayBeWritten);
    }

    /// <summary>
    /// Whether the throw sits under a condition that reads only parameters a server cannot influence (the request or
    /// sender: <c>if (message.RequestUri is null) throw …</c>): such a throw rejects no server. A throw with no condition,
    /// or under one that reads the errors, the certificate or the chain, is a rejection.
    /// </summary>
    private static bool GuardsOnlyTheRequest(IThrowOperation throwOperation, IOperation body)
    {
        for (var parent = throwOperation.Parent; parent is not null && parent != body; parent = parent.Parent)
        {
            if (parent is IConditionalOperation { Condition: var condition })
            {
                var read = condition.DescendantsAndSelf().OfType<IParameterReferenceOperation>().Select(r => r.Parameter).ToList();
                return read.Count > 0 && read.All(p => !IsServerInput(p.Type));
            }
        }

        return false;
    }

    /// <summary>What a server's handshake decides: the policy errors, the certificate and the chain.</summary>
    private static bool IsServerInput(ITypeSymbol type) => type.Name is "SslPolicyErrors" or "X509Certificate" or "X509Certificate2" or "X509Chain";

    /// <summary>Whether the body itself (not a lambda in it) reads the parameter.</summary>
    public bool References(IParameterSymbol parameter) => _referenced.Contains(parameter.OriginalDefinition);

    /// <summary>
    /// Whether the parameter may hold something other than the argument when a return is evaluated: it is assigned,
    /// passed by reference, or used in a way not known to be a plain read.
    /// </summary>
    public bool MayBeWritten(IParameterSymbol parameter) => _mayBeWritten.Contains(parameter.OriginalDefinition);

    /// <summary>Operations of the body itself, not of lambdas or local functions declared in it (their returns are theirs).</summary>
    public static IEnumerable<IOperation> OwnOperations(IOperation body)
    {
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            yield return operation;
            foreach (var child in operation.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    pending.Push(child);
                }
            }
        }
    }

    /// <summary>
    /// An allowlist of the places where a parameter is only read; anywhere else (an assignment's target, a ref or out
    /// argument, a ref local, ++) it may change, and the evaluator stops assuming it holds the argument.
    /// </summary>
    /// <summary>Whether a parameter or local reference is only read: not assigned, not passed by reference.</summary>
    public static bool IsPlainRead(IOperation reference) => reference.Parent switch
    {
        IBinaryOperation or IUnaryOperation or IConversionOperation or IReturnOperation or IIsPatternOperation
            or ISwitchExpressionOperation or IInterpolationOperation or IInvocationOperation => true,
        IConditionalOperation conditional => !conditional.IsRef,
        IArgumentOperation argument => argument.Parameter is { RefKind: RefKind.None or RefKind.In },
        ISimpleAssignmentOperation assignment => !assignment.IsRef && assignment.Value == reference,
        IExpressionStatementOperation => true,
        ICompoundAssignmentOperation assignment => assignment.Value == reference,
        IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.RefKind: RefKind.None } } => true,
        _ => false,
    };
}
