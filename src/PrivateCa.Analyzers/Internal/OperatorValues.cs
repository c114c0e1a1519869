using System.Numerics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PrivateCa.Analyzers.Internal;

/// <summary>
/// C#'s built-in operators on known values, for <see cref="ReturnEvaluator"/>. A value is a bool or, for an integral or
/// enum type, a long holding it in its type's range (an enum by its underlying type); null is unknown. Types without a
/// value here (ulong, char, native and floating types) give unknown, as does anything that would throw.
/// </summary>
internal static class OperatorValues
{
    public static object? FromConstant(object? constant) => constant switch
    {
        bool value => value,
        sbyte value => (long)value,
        byte value => (long)value,
        short value => (long)value,
        ushort value => (long)value,
        int value => (long)value,
        uint value => (long)value,
        long value => value,
        _ => null,
    };

    /// <summary>A built-in conversion (identity, integral, enum); boxing and the rest have no value here.</summary>
    public static object? Convert(object? operand, ITypeSymbol? type, bool isChecked) => (operand, type?.SpecialType) switch
    {
        (bool value, SpecialType.System_Boolean) => value,
        (long value, _) => Integer(value, type, isChecked),
        _ => null,
    };

    public static object? Unary(UnaryOperatorKind kind, object? operand, ITypeSymbol? type, bool isChecked) => (kind, operand) switch
    {
        (UnaryOperatorKind.Not, bool value) => !value,
        (UnaryOperatorKind.BitwiseNegation, long value) => Integer(~value, type, isChecked: false),
        (UnaryOperatorKind.Plus, long value) => Integer(value, type, isChecked: false),
        (UnaryOperatorKind.Minus, long value) => Integer(-new BigInteger(value), type, isChecked),
        _ => null,
    };

    /// <summary>A built-in binary operator; <paramref name="type"/> is the result's type, needed only for integer results.</summary>
    public static object? Binary(BinaryOperatorKind kind, object? left, object? right, ITypeSymbol? type, bool isChecked)
    {
        // A side that decides the result decides it even when the other is unknown: x || true is true whatever x is.
        if (kind is BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or && (left is true || right is true))
        {
            return true;
        }

        if (kind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And && (left is false || right is false))
        {
            return false;
        }

        return (left, right) switch
        {
            (bool l, bool r) => kind switch
            {
                BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or => l || r,
                BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And => l && r,
                BinaryOperatorKind.ExclusiveOr or BinaryOperatorKind.NotEquals => l != r,
                BinaryOperatorKind.Equals => l == r,
                _ => null,
            },
            (long l, long r) => kind switch
            {
                BinaryOperatorKind.Equals => l == r,
                BinaryOperatorKind.NotEquals => l != r,
                BinaryOperatorKind.LessThan => l < r,
                BinaryOperatorKind.LessThanOrEqual => l <= r,
                BinaryOperatorKind.GreaterThan => l > r,
                BinaryOperatorKind.GreaterThanOrEqual => l >= r,
                BinaryOperatorKind.And => Integer(l & r, type, isChecked: false),
                BinaryOperatorKind.Or => Integer(l | r, type, isChecked: false),
                BinaryOperatorKind.ExclusiveOr => Integer(l ^ r, type, isChecked: false),
                BinaryOperatorKind.Add => Integer(new BigInteger(l) + r, type, isChecked),
                BinaryOperatorKind.Subtract => Integer(new BigInteger(l) - r, type, isChecked),
                BinaryOperatorKind.Multiply => Integer(new BigInteger(l) * r, type, isChecked),

                // Division by zero throws, and so does MinValue / -1 even unchecked: both are unknown (checked = true).
                BinaryOperatorKind.Divide when r != 0 => Integer(BigInteger.Divide(l, r), type, isChecked: true),
                BinaryOperatorKind.Remainder when r != 0 => Integer(BigInteger.Remainder(l, r), type, isChecked: true),
                _ => null,
            },
            _ => null,
        };
    }

    /// <summary>A result in its type's range, as C# computes it: unchecked arithmetic wraps, checked arithmetic that overflows throws (unknown).</summary>
    private static long? Integer(BigInteger raw, ITypeSymbol? type, bool isChecked)
    {
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            type = underlying;
        }

        (int Bits, bool Signed)? shape = type?.SpecialType switch
        {
            SpecialType.System_SByte => (8, true),
            SpecialType.System_Byte => (8, false),
            SpecialType.System_Int16 => (16, true),
            SpecialType.System_UInt16 => (16, false),
            SpecialType.System_Int32 => (32, true),
            SpecialType.System_UInt32 => (32, false),
            SpecialType.System_Int64 => (64, true),
            _ => null,
        };
        if (shape is not { } known)
        {
            return null;
        }

        var modulus = BigInteger.One << known.Bits;
        var min = known.Signed ? -(modulus >> 1) : BigInteger.Zero;
        if (raw >= min && raw < min + modulus)
        {
            return (long)raw;
        }

        return isChecked ? null : (long)((((raw - min) % modulus) + modulus) % modulus + min);
    }
}
