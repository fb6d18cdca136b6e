namespace DataCentric.Edge.Core.Triggers.Language.Functions;

/// <summary>Type-checks the arguments of a call whose count <see cref="FunctionDescriptor.Arity"/> already accepted, and builds its expression.</summary>
/// <returns>The bound call, or <see cref="Bound.Error"/> after adding every error to <see cref="Binder.Errors"/>.</returns>
internal delegate Bound FunctionBind(Binder binder, CallSyntax call);

/// <summary>One built-in function of the trigger language, registered in <see cref="BuiltInFunctions.All"/>.</summary>
/// <param name="Name">What a condition calls it by.</param>
/// <param name="Arity">How many arguments it takes; a call outside it is reported before any argument is bound.</param>
/// <param name="Signature">The call written out with example arguments, given as the expected form when a call is wrong.</param>
/// <param name="Bind">Binds a call with an accepted argument count.</param>
internal sealed record FunctionDescriptor(string Name, FunctionArity Arity, string Signature, FunctionBind Bind);
