using System.Linq.Expressions;

namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>A type-checked piece of a condition and the LINQ expression that computes it.</summary>
/// <param name="Stateful">Contains a temporal call that must run every tick (so no short-circuit around it).</param>
internal readonly record struct Bound(ExprType Type, Expression Expression, bool Stateful)
{
    public static Bound Error { get; } = new(ExprType.Error, System.Linq.Expressions.Expression.Constant(0d), false);
}

/// <summary>A type error at an offset of the expression; <paramref name="UnknownSignal"/> names the signal when that is the error.</summary>
internal sealed record BindError(int Offset, string Message, string? Expected = null, string? Suggestion = null, string? UnknownSignal = null);
