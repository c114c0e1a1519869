using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PrivateCa.Analyzers.Internal;

/// <summary>The pattern-matching half of <see cref="ReturnEvaluator"/>: switch expressions and patterns over a known value.</summary>
internal sealed partial class ReturnEvaluator
{
    private object? Switch(ISwitchExpressionOperation switchExpression, Dictionary<IParameterSymbol, object> values, int depth)
    {
        var input = Evaluate(switchExpression.Value, values, depth);
        foreach (var arm in switchExpression.Arms)
        {
            switch (Match(arm.Pattern, input, values, depth))
            {
                case null:
                    return null;
                case false:
                    continue;
            }

            if (arm.Guard is not null)
            {
                switch (Evaluate(arm.Guard, values, depth))
                {
                    case false:
                        continue;
                    case not true:
                        return null;
                }
            }

            return Evaluate(arm.Value, values, depth);
        }

        // No arm matched: the switch throws, which is no value.
        return null;
    }

    /// <summary>Whether a pattern matches the input value (null: the input or the pattern is not known).</summary>
    private bool? Match(IPatternOperation pattern, object? input, Dictionary<IParameterSymbol, object> values, int depth)
    {
        switch (pattern)
        {
            case IDiscardPatternOperation:
            case IDeclarationPatternOperation { MatchesNull: true }:
                return true;
            case ITypePatternOperation typePattern:
                return AlwaysOfType(typePattern.InputType, typePattern.MatchedType) ? true : null;
            case IDeclarationPatternOperation { MatchedType: { } matched } declaration:
                return AlwaysOfType(declaration.InputType, matched) ? true : null;
            case INegatedPatternOperation negated:
                return !Match(negated.Pattern, input, values, depth);
            case IBinaryPatternOperation binary:
                var left = Match(binary.LeftPattern, input, values, depth);
                var right = Match(binary.RightPattern, input, values, depth);
                return binary.OperatorKind switch
                {
                    BinaryOperatorKind.Or when left is true || right is true => true,
                    BinaryOperatorKind.Or when left is false && right is false => false,
                    BinaryOperatorKind.And when left is false || right is false => false,
                    BinaryOperatorKind.And when left is true && right is true => true,
                    _ => null,
                };
            case IConstantPatternOperation constant:
                return (input, Evaluate(constant.Value, values, depth)) switch
                {
                    (long i, long c) => i == c,
                    (bool i, bool c) => i == c,
                    _ => null,
                };
            case IRelationalPatternOperation relational:
                return OperatorValues.Binary(relational.OperatorKind, input, Evaluate(relational.Value, values, depth), type: null, isChecked: false) as bool?;
            default:
                return null;
        }
    }

    /// <summary>Whether a type pattern matches every input: a non-nullable value of exactly the matched type.</summary>
    private static bool AlwaysOfType(ITypeSymbol input, ITypeSymbol matched) =>
        input.IsValueType && input.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T && SymbolEqualityComparer.Default.Equals(input, matched);
}
