using DataCentric.Edge.Core.Triggers.Documents;
using DataCentric.Edge.Core.Triggers.Language;

namespace DataCentric.Edge.Core.Triggers;

/// <summary>A checked trigger: settings as typed values and its condition compiled to a delegate.</summary>
public sealed class CompiledTrigger
{
    internal CompiledTrigger(
        TriggerDefinition definition,
        string expression,
        TimeSpan pre,
        TimeSpan post,
        TimeSpan cooldown,
        IReadOnlyList<string> signals,
        int[] slots,
        Func<EvalFrame, ITemporalState[], bool> condition,
        IReadOnlyList<Func<TemporalContext, ITemporalState>> stateFactories)
    {
        Id = definition.Id;
        Description = definition.Description;
        Expression = expression;
        Pre = pre;
        Post = post;
        Cooldown = cooldown;
        Priority = definition.Priority;
        SampleRate = definition.SampleRate;
        MaxPerHour = definition.MaxPerHour;
        MaxBytesPerDay = definition.MaxBytesPerDay;
        Upload = definition.Upload;
        Enabled = definition.Enabled;
        DryRun = definition.DryRun;
        MinNovelty = definition.MinNovelty;
        Signals = signals;
        Slots = slots;
        Condition = condition;
        StateFactories = stateFactories;
    }

    public string Id { get; }

    public string? Description { get; }

    /// <summary>The <c>when</c> text, trimmed, as the recorder lists it in the clip.</summary>
    public string Expression { get; }

    public TimeSpan Pre { get; }

    public TimeSpan Post { get; }

    public TimeSpan Cooldown { get; }

    public int Priority { get; }

    public double SampleRate { get; }

    public int? MaxPerHour { get; }

    public long? MaxBytesPerDay { get; }

    public UploadPolicy Upload { get; }

    public bool Enabled { get; }

    public bool DryRun { get; }

    public double? MinNovelty { get; }

    /// <summary>Names of the signals the condition reads.</summary>
    public IReadOnlyList<string> Signals { get; }

    /// <summary>Slots (indexes into the set's signal list) the condition reads.</summary>
    internal int[] Slots { get; }

    internal Func<EvalFrame, ITemporalState[], bool> Condition { get; }

    internal IReadOnlyList<Func<TemporalContext, ITemporalState>> StateFactories { get; }

    internal ITemporalState[] CreateState(TemporalContext context)
    {
        var states = new ITemporalState[StateFactories.Count];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = StateFactories[i](context);
        }

        return states;
    }
}
