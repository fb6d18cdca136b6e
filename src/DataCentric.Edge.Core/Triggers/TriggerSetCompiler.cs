using System.Linq.Expressions;
using System.Text.RegularExpressions;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Documents;
using DataCentric.Edge.Core.Triggers.Language;

namespace DataCentric.Edge.Core.Triggers;

/// <summary>
/// Validates a trigger set as a whole (document shape, values, limits, every expression against the
/// known signals) and compiles each condition once into a delegate. All errors are collected.
/// </summary>
public static partial class TriggerSetCompiler
{
    private const int MaxPerHourLimit = 3600;

    public static TriggerCompileResult Compile(
        string sourceText,
        TriggerSourceFormat format,
        IReadOnlyList<(string Name, SignalKind Kind)> knownSignals,
        TriggerLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(sourceText);
        ArgumentNullException.ThrowIfNull(knownSignals);
        limits ??= TriggerLimits.Default;
        CheckLimits(limits);
        var errors = new List<TriggerDiagnostic>();
        if (sourceText.Length > limits.MaxDocumentLength)
        {
            errors.Add(new TriggerDiagnostic(null, "document", $"document is {sourceText.Length} characters, the limit is {limits.MaxDocumentLength}", 1, 1));
            return TriggerCompileResult.Failure(errors);
        }

        SourceNode? root;
        try
        {
            root = format == TriggerSourceFormat.Yaml ? YamlSourceReader.Read(sourceText) : JsonSourceReader.Read(sourceText);
        }
        catch (SourceFormatException error)
        {
            errors.Add(new TriggerDiagnostic(null, "document", error.Message, error.Line, error.Column, Expected: format == TriggerSourceFormat.Yaml ? "valid YAML" : "valid JSON"));
            return TriggerCompileResult.Failure(errors);
        }

        var (document, positions) = TriggerSetMapper.Map(root, errors);
        return Compile(document, positions, knownSignals, limits, errors);
    }

    /// <summary>Compiles a document built in code (errors then carry no document positions).</summary>
    public static TriggerCompileResult Compile(
        TriggerSetDocument document,
        IReadOnlyList<(string Name, SignalKind Kind)> knownSignals,
        TriggerLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(knownSignals);
        limits ??= TriggerLimits.Default;
        CheckLimits(limits);
        return Compile(document, SourcePositions.None, knownSignals, limits, []);
    }

    private static void CheckLimits(TriggerLimits limits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxExpressionLength, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxDocumentLength, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxDepth, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxNodes, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxTriggers, 0, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxHistorySamples, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.NoveltyReferenceSize, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxWindow, TimeSpan.Zero, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxClipWindow, TimeSpan.Zero, nameof(limits));
    }

    private static TriggerCompileResult Compile(
        TriggerSetDocument document,
        SourcePositions positions,
        IReadOnlyList<(string Name, SignalKind Kind)> knownSignals,
        TriggerLimits limits,
        List<TriggerDiagnostic> errors)
    {
        var signals = new Dictionary<string, SignalKind>(StringComparer.Ordinal);
        foreach (var (name, kind) in knownSignals)
        {
            signals[name] = kind;
        }

        var context = new SetContext(positions, errors);
        if (document.SchemaVersion != TriggerSetDocument.CurrentSchemaVersion)
        {
            context.Error(null, "schemaVersion", $"schema version {document.SchemaVersion} is not supported", $"{TriggerSetDocument.CurrentSchemaVersion}");
        }

        if (document.Version < 0)
        {
            context.Error(null, "version", "version must not be negative", "a whole number >= 0");
        }

        var staleAfter = context.Duration(null, "staleAfter", document.StaleAfter, TimeSpan.FromMilliseconds(1), limits.MaxWindow);
        if (document.Triggers.Count > limits.MaxTriggers)
        {
            context.Error(null, "triggers", $"set has {document.Triggers.Count} triggers, the limit is {limits.MaxTriggers}", $"at most {limits.MaxTriggers} triggers");
        }

        if (document.Triggers.Any(t => t.MinNovelty is not null) &&
            (!signals.TryGetValue(document.EmbeddingSignal, out var embeddingKind) || embeddingKind != SignalKind.Vector))
        {
            context.Error(null, "embeddingSignal", $"minNovelty needs the vector signal '{document.EmbeddingSignal}', which is not known", "a known vector signal",
                NameSuggester.Suggest(document.EmbeddingSignal, signals.Where(s => s.Value == SignalKind.Vector).Select(s => s.Key)),
                unknownSignal: signals.ContainsKey(document.EmbeddingSignal) ? null : document.EmbeddingSignal);
        }

        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        var slotList = new List<(string Name, SignalKind Kind)>();
        int SlotOf(string name)
        {
            if (!slots.TryGetValue(name, out var slot))
            {
                slot = slotList.Count;
                slots[name] = slot;
                slotList.Add((name, signals[name]));
            }

            return slot;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var compiled = new List<CompiledTrigger>();
        for (var index = 0; index < document.Triggers.Count && index < limits.MaxTriggers; index++)
        {
            if (positions.Malformed.Contains(index))
            {
                continue;
            }

            var trigger = CompileTrigger(document.Triggers[index], index, context, signals, SlotOf, slot => slotList[slot].Name, limits, ids);
            if (trigger is not null)
            {
                compiled.Add(trigger);
            }
        }

        return errors.Count > 0
            ? TriggerCompileResult.Failure(errors)
            : TriggerCompileResult.Success(new CompiledTriggerSet(document, staleAfter, compiled, slotList, limits));
    }

    private static CompiledTrigger? CompileTrigger(
        TriggerDefinition trigger,
        int index,
        SetContext context,
        Dictionary<string, SignalKind> signals,
        Func<string, int> slotOf,
        Func<int, string> nameOf,
        TriggerLimits limits,
        HashSet<string> ids)
    {
        var errorsBefore = context.Errors.Count;
        var id = trigger.Id;
        var label = string.IsNullOrEmpty(id) ? null : id;
        var t = new TriggerContext(context, index, label);
        if (string.IsNullOrEmpty(id))
        {
            t.Error("id", "trigger has no 'id'", "an id such as missed_obstacle");
        }
        else if (!IdPattern().IsMatch(id))
        {
            t.Error("id", $"id '{id}' is not valid", "letters, digits, '_', '-' or '.', starting with a letter or digit, at most 64 characters");
        }
        else if (!ids.Add(id))
        {
            t.Error("id", $"id '{id}' is used by another trigger", "ids unique within the set");
        }

        var pre = context.Duration(index, "pre", trigger.Pre, TimeSpan.Zero, limits.MaxClipWindow, label);
        var post = context.Duration(index, "post", trigger.Post, TimeSpan.Zero, limits.MaxClipWindow, label);
        var cooldown = context.Duration(index, "cooldown", trigger.Cooldown, TimeSpan.Zero, TimeSpan.FromDays(1), label);
        if (!(trigger.SampleRate > 0 && trigger.SampleRate <= 1))
        {
            t.Error("sampleRate", "sampleRate must be a probability above 0", "a number in (0, 1]");
        }

        if (trigger.MaxPerHour is { } perHour && (perHour < 1 || perHour > MaxPerHourLimit))
        {
            t.Error("maxPerHour", $"maxPerHour {perHour} is out of range", $"1 to {MaxPerHourLimit}");
        }

        if (trigger.MaxBytesPerDay is < 1)
        {
            t.Error("maxBytesPerDay", "maxBytesPerDay must be positive", "a number of bytes >= 1");
        }

        if (trigger.MinNovelty is { } minNovelty && !(minNovelty >= 0 && minNovelty <= 2))
        {
            t.Error("minNovelty", "minNovelty is a cosine distance", "a number in [0, 2]");
        }

        var condition = CompileCondition(trigger.When ?? string.Empty, t, signals, slotOf, limits);
        if (condition is null || context.Errors.Count > errorsBefore)
        {
            return null;
        }

        var (lambda, factories, used) = condition.Value;
        return new CompiledTrigger(trigger, trigger.When!.Trim(), pre, post, cooldown, [.. used.Select(nameOf)], used, lambda, factories);
    }

    private static (Func<EvalFrame, ITemporalState[], bool>, IReadOnlyList<Func<TemporalContext, ITemporalState>>, int[])? CompileCondition(
        string when,
        TriggerContext t,
        Dictionary<string, SignalKind> signals,
        Func<string, int> slotOf,
        TriggerLimits limits)
    {
        if (string.IsNullOrWhiteSpace(when))
        {
            t.Error("when", "trigger has no 'when' condition", "a condition such as shadow.obstacle > 0.5");
            return null;
        }

        if (when.Length > limits.MaxExpressionLength)
        {
            t.Error("when", $"condition is {when.Length} characters, the limit is {limits.MaxExpressionLength}", "a shorter condition");
            return null;
        }

        Syntax syntax;
        try
        {
            syntax = Parser.Parse(when, limits);
        }
        catch (ExpressionSyntaxException error)
        {
            t.ExpressionError(when, error.Offset, error.Message, error.Expected, null);
            return null;
        }
        catch (InsufficientExecutionStackException)
        {
            t.ExpressionError(when, 0, "expression is nested too deeply", "less nesting", null);
            return null;
        }

        var binder = new Binder(signals, slotOf, limits);
        var bound = binder.Bind(syntax);
        foreach (var error in binder.Errors)
        {
            t.ExpressionError(when, error.Offset, error.Message, error.Expected, error.Suggestion, error.UnknownSignal);
        }

        if (binder.Errors.Count > 0 || bound.Type == ExprType.Error)
        {
            return null;
        }

        if (bound.Type != ExprType.Bool)
        {
            t.ExpressionError(when, syntax.Start, $"condition must be true or false, got {ExprTypes.Describe(bound.Type)}", "a condition (bool), e.g. a comparison", null);
            return null;
        }

        var lambda = Expression.Lambda<Func<EvalFrame, ITemporalState[], bool>>(bound.Expression, binder.Frame, binder.States).Compile();
        return (lambda, binder.StateFactories, [.. binder.UsedSlots]);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
