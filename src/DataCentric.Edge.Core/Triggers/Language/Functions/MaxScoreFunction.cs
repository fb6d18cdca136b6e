using System.Linq.Expressions;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>max_score(boxes)</c>: the highest detection score, 0 when there are none.</summary>
internal static class MaxScoreFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("max_score", FunctionArity.Exactly(1), "max_score(detections)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call)
    {
        var detections = binder.Expect(call.Arguments[0], ExprType.Detections);
        return detections.Type == ExprType.Error
            ? Bound.Error
            : new(ExprType.Number, Expression.Call(Binder.Method(nameof(TriggerFunctions.MaxScore)), detections.Expression), detections.Stateful);
    }
}
