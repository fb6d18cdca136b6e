using System.Linq.Expressions;

namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary><c>class_mismatch(a, b)</c>: two strings, two class ids or the best classes of two detection lists differ.</summary>
internal static class ClassMismatchFunction
{
    public static FunctionDescriptor Descriptor { get; } = new("class_mismatch", FunctionArity.Exactly(2), "class_mismatch(a, b)", Bind);

    private static Bound Bind(Binder binder, CallSyntax call)
    {
        var a = binder.Bind(call.Arguments[0]);
        var b = binder.Bind(call.Arguments[1]);
        if (a.Type == ExprType.Error || b.Type == ExprType.Error)
        {
            return Bound.Error;
        }

        var helper = (a.Type, b.Type) switch
        {
            (ExprType.String, ExprType.String) => nameof(TriggerFunctions.ClassMismatchText),
            (ExprType.Number, ExprType.Number) => nameof(TriggerFunctions.ClassMismatchNumber),
            (ExprType.Detections, ExprType.Detections) => nameof(TriggerFunctions.ClassMismatchDetections),
            _ => null,
        };
        if (helper is null)
        {
            binder.Errors.Add(new BindError(call.Start, $"'class_mismatch' cannot compare {ExprTypes.Describe(a.Type)} and {ExprTypes.Describe(b.Type)}", "two strings, two numbers or two detection lists"));
            return Bound.Error;
        }

        return new(ExprType.Bool, Expression.Call(Binder.Method(helper), a.Expression, b.Expression), a.Stateful || b.Stateful);
    }
}
