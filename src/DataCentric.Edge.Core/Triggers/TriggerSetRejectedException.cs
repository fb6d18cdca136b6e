namespace DataCentric.Edge.Core.Triggers;

/// <summary>
/// A trigger set was not accepted. Policy: the set that was active stays active, and the errors go
/// back to whoever pushed it.
/// </summary>
public sealed class TriggerSetRejectedException : Exception
{
    public TriggerSetRejectedException()
        : this([])
    {
    }

    public TriggerSetRejectedException(string message)
        : base(message)
    {
        Errors = [];
    }

    public TriggerSetRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public TriggerSetRejectedException(IReadOnlyList<TriggerDiagnostic> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<TriggerDiagnostic> Errors { get; }

    private static string Describe(IReadOnlyList<TriggerDiagnostic> errors) =>
        errors.Count == 0
            ? "Trigger set rejected."
            : $"Trigger set rejected with {errors.Count} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}";
}
