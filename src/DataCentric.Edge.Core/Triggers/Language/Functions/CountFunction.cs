using System.Linq.Expressions;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>count(boxes)</c>: the number of detections; <c>count(boxes, minScore)</c>: of those scoring at least minScore.</summary>
internal static class CountFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("count", FunctionArity.Between(1, 2), "count(boxes) or count(boxes, minScore)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call)
    {
        var detections = binder.Expect(call.Arguments[0], ExprType.Detections);
        if (call.Arguments.Count == 1)
        {
            return detections.Type == ExprType.Error
                ? Bound.Error
                : new(ExprType.Number, Expression.Call(Binder.Method(nameof(TriggerFunctions.Count)), detections.Expression), detections.Stateful);
        }

        var minScore = binder.Expect(call.Arguments[1], ExprType.Number);
        return detections.Type == ExprType.Error || minScore.Type == ExprType.Error
            ? Bound.Error
            : new(ExprType.Number, Expression.Call(Binder.Method(nameof(TriggerFunctions.CountAbove)), detections.Expression, minScore.Expression), detections.Stateful || minScore.Stateful);
    }
}
