namespace DataCentric.Edge.Core.Triggers;

/// <summary>Either a compiled set or every error found in it; never both.</summary>
public sealed class TriggerCompileResult
{
    private TriggerCompileResult(CompiledTriggerSet? set, IReadOnlyList<TriggerDiagnostic> errors)
    {
        Set = set;
        Errors = errors;
    }

    public CompiledTriggerSet? Set { get; }

    public IReadOnlyList<TriggerDiagnostic> Errors { get; }

    public bool Succeeded => Set is not null;

    internal static TriggerCompileResult Success(CompiledTriggerSet set) => new(set, []);

    internal static TriggerCompileResult Failure(IReadOnlyList<TriggerDiagnostic> errors) => new(null, errors);

    /// <summary>The set, or <see cref="TriggerSetRejectedException"/> listing every error.</summary>
    public CompiledTriggerSet GetSetOrThrow() => Set ?? throw new TriggerSetRejectedException(Errors);
}
