using System.Linq.Expressions;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>iou_miss(a, b, 0.5)</c>: a box on one side has no box on the other with at least that IoU.</summary>
internal static class IouMissFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("iou_miss", FunctionArity.Exactly(3), "iou_miss(shadow.boxes, primary.boxes, 0.5)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call)
    {
        var a = binder.Expect(call.Arguments[0], ExprType.Detections);
        var b = binder.Expect(call.Arguments[1], ExprType.Detections);
        var threshold = binder.Expect(call.Arguments[2], ExprType.Number);
        return a.Type == ExprType.Error || b.Type == ExprType.Error || threshold.Type == ExprType.Error
            ? Bound.Error
            : new(ExprType.Bool, Expression.Call(Binder.Method(nameof(TriggerFunctions.IouMiss)), a.Expression, b.Expression, threshold.Expression), a.Stateful || b.Stateful || threshold.Stateful);
    }
}
