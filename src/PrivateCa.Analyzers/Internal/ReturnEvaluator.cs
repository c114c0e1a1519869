using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PrivateCa.Analyzers.Internal;

/// <summary>
/// Decides whether a callback returns true for every SslPolicyErrors value the platform can pass. SslPolicyErrors is
/// a few flag bits, so every combination is tried: each return value is evaluated over the operation tree with the
/// errors parameter bound to that combination. Only constants, the errors parameter, boolean, comparison, bitwise and
/// integer operators, patterns, Enum.HasFlag and calls to source methods (a few calls deep) have values; anything else
/// (the chain, the certificate, fields, unknown methods) is unknown, and a return that is unknown is not proved true.
/// A value is a bool or a long (see <see cref="OperatorValues"/>).
/// </summary>
internal sealed partial class ReturnEvaluator
{
    /// <summary>Helpers followed: enough for a wrapper of a wrapper, and it ends recursion.</summary>
    private const int MaxCallDepth = 3;

    /// <summary>Flags enumerated exhaustively: SslPolicyErrors has 3; past 8 (256 combinations) nothing is claimed.</summary>
    private const int MaxFlagBits = 8;

    /// <summary>
    /// Operations evaluated for one callback, all flag combinations together: a real callback needs a few dozen, and
    /// helpers full of calls multiply per level, so past this the result is unknown rather than the build slow.
    /// </summary>
    private const int MaxSteps = 10_000;

    private readonly Func<IMethodSymbol, IOperation?> _bodyOf;
    private int _steps;
    private readonly Dictionary<IMethodSymbol, CallbackBody?> _callees = new(SymbolEqualityComparer.Default);

    private ReturnEvaluator(Func<IMethodSymbol, IOperation?> bodyOf) => _bodyOf = bodyOf;

    /// <summary>
    /// Whether every return of the callback is true for every combination of the errors enum's flags.
    /// <paramref name="bodyOf"/> gives the body of a method declared in this compilation, or null.
    /// </summary>
    public static bool TrueForEveryErrors(CallbackBody callback, IParameterSymbol errors, Func<IMethodSymbol, IOperation?> bodyOf)
    {
        if (callback.Throws || callback.Returns.Count == 0 || FlagsOf(errors.Type) is not { } flags)
        {
            return false;
        }

        var evaluator = new ReturnEvaluator(bodyOf);
        var bound = !callback.MayBeWritten(errors);
        for (long value = 0; value <= flags; value++)
        {
            if ((value & ~flags) != 0)
            {
                continue;
            }

            var values = new Dictionary<IParameterSymbol, object>(SymbolEqualityComparer.Default);
            if (bound)
            {
                values[errors.OriginalDefinition] = value;
            }

            foreach (var returned in callback.Returns)
            {
                if (evaluator.Evaluate(returned, values, 0) is not true)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The union of an enum's non-negative flags, so every value the platform passes is a subset of it; null when it is not such an enum.</summary>
    private static long? FlagsOf(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
        {
            return null;
        }

        long flags = 0;
        foreach (var member in enumType.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: var constant } && OperatorValues.FromConstant(constant) is long value)
            {
                if (value < 0)
                {
                    return null;
                }

                flags |= value;
            }
        }

        return flags < 1L << MaxFlagBits ? flags : null;
    }

    private object? Evaluate(IOperation operation, Dictionary<IParameterSymbol, object> values, int depth)
    {
        if (++_steps > MaxSteps)
        {
            return null;
        }

        if (operation.ConstantValue.HasValue)
        {
            return OperatorValues.FromConstant(operation.ConstantValue.Value);
        }

        return operation switch
        {
            IParameterReferenceOperation reference => values.TryGetValue(reference.Parameter.OriginalDefinition, out var value) ? value : null,
            ILocalReferenceOperation local => Local(local, values, depth),
            IConversionOperation conversion => Convert(conversion, values, depth),
            IUnaryOperation unary => Unary(unary, values, depth),
            IBinaryOperation binary => Binary(binary, values, depth),
            IConditionalOperation { IsRef: false, WhenFalse: { } whenFalse } conditional => Conditional(conditional, whenFalse, values, depth),
            IIsPatternOperation isPattern => Match(isPattern.Pattern, Evaluate(isPattern.Value, values, depth), values, depth),
            ISwitchExpressionOperation switchExpression => Switch(switchExpression, values, depth),
            IInvocationOperation invocation => Invoke(invocation, values, depth),
            _ => null,
        };
    }

    /// <summary>A local written once, where it is declared, and never again (nor passed by reference): its initial value.</summary>
    private object? Local(ILocalReferenceOperation reference, Dictionary<IParameterSymbol, object> values, int depth)
    {
        var root = (IOperation)reference;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        IOperation? initial = null;
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, reference.Local):
                    initial = declarator.GetVariableInitializer()?.Value;
                    if (initial is null || reference.Local.RefKind != RefKind.None)
                    {
                        return null;
                    }

                    break;
                case ILocalReferenceOperation other when SymbolEqualityComparer.Default.Equals(other.Local, reference.Local) && !CallbackBody.IsPlainRead(other):
                    return null;
                default:
                    break;
            }
        }

        return initial is null ? null : Evaluate(initial, values, depth + 1);
    }

    private object? Convert(IConversionOperation conversion, Dictionary<IParameterSymbol, object> values, int depth) =>
        conversion.OperatorMethod is null
            ? OperatorValues.Convert(Evaluate(conversion.Operand, values, depth), conversion.Type, conversion.IsChecked)
            : null;

    private object? Unary(IUnaryOperation unary, Dictionary<IParameterSymbol, object> values, int depth) =>
        unary.OperatorMethod is null && !unary.IsLifted
            ? OperatorValues.Unary(unary.OperatorKind, Evaluate(unary.Operand, values, depth), unary.Type, unary.IsChecked)
            : null;

    private object? Binary(IBinaryOperation binary, Dictionary<IParameterSymbol, object> values, int depth) =>
        binary.OperatorMethod is null && !binary.IsLifted
            ? OperatorValues.Binary(binary.OperatorKind, Evaluate(binary.LeftOperand, values, depth), Evaluate(binary.RightOperand, values, depth), binary.Type, binary.IsChecked)
            : null;

    private object? Conditional(IConditionalOperation conditional, IOperation whenFalse, Dictionary<IParameterSymbol, object> values, int depth)
    {
        switch (Evaluate(conditional.Condition, values, depth))
        {
            case true:
                return Evaluate(conditional.WhenTrue, values, depth);
            case false:
                return Evaluate(whenFalse, values, depth);
        }

        // An unknown condition still has a known result when both branches agree.
        var whenTrueValue = Evaluate(conditional.WhenTrue, values, depth);
        return whenTrueValue is not null && whenTrueValue.Equals(Evaluate(whenFalse, values, depth)) ? whenTrueValue : null;
    }

    private object? Invoke(IInvocationOperation invocation, Dictionary<IParameterSymbol, object> values, int depth)
    {
        var method = invocation.TargetMethod;

        // Enum.HasFlag(flag) is (value & flag) == flag; both are boxed, and HasFlag throws unless they are the same enum.
        if (method is { Name: "HasFlag", ContainingType.SpecialType: SpecialType.System_Enum }
            && invocation is { Instance: { } boxedInstance, Arguments.Length: 1 }
            && Unboxed(boxedInstance) is { Type.TypeKind: TypeKind.Enum } instance
            && Unboxed(invocation.Arguments[0].Value) is var flag
            && SymbolEqualityComparer.Default.Equals(instance.Type, flag.Type))
        {
            return (Evaluate(instance, values, depth), Evaluate(flag, values, depth)) is (long v, long f) ? (v & f) == f : null;
        }

        // A virtual call may run an override this compilation does not show; a source method's body is judged as written.
        if (invocation.IsVirtual || depth >= MaxCallDepth || CalleeOf(method) is not { Throws: false, Returns.Count: > 0 } callee)
        {
            return null;
        }

        // Captured parameters of an enclosing callback keep their values (a local function reads them); the callee's
        // own parameters take the arguments' values, unless the callee may assign them.
        var calleeValues = new Dictionary<IParameterSymbol, object>(values, SymbolEqualityComparer.Default);
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                return null;
            }

            calleeValues.Remove(parameter.OriginalDefinition);
            if (parameter.RefKind == RefKind.None && !callee.MayBeWritten(parameter) && Evaluate(argument.Value, values, depth) is { } value)
            {
                calleeValues[parameter.OriginalDefinition] = value;
            }
        }

        // Every return giving one value makes that the call's value, whichever path the callee takes.
        object? result = null;
        foreach (var returned in callee.Returns)
        {
            if (Evaluate(returned, calleeValues, depth + 1) is not { } value || (result is not null && !result.Equals(value)))
            {
                return null;
            }

            result = value;
        }

        return result;
    }

    private CallbackBody? CalleeOf(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        method = method.PartialImplementationPart ?? method;
        if (_callees.TryGetValue(method, out var known))
        {
            return known;
        }

        var callee = method is { MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction, IsAbstract: false, IsExtern: false, IsAsync: false, ReturnsByRef: false, ReturnsByRefReadonly: false }
            && _bodyOf(method) is { } body
            ? CallbackBody.Of(body, _bodyOf)
            : null;
        _callees[method] = callee;
        return callee;
    }

    private static IOperation Unboxed(IOperation operation) =>
        operation is IConversionOperation { Type.IsReferenceType: true, Operand: var operand } ? operand : operation;
}
