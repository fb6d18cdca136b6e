using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Language;

namespace DataCentric.Edge.Core.Triggers.Engine;

/// <summary>A compiled set installed in an engine: its frame, per-trigger runtimes and signal freshness.</summary>
internal sealed class InstalledSet(CompiledTriggerSet set, EvalFrame frame, TriggerRuntime[] triggers, int kept)
{
    private SignalId? _embeddingId;

    public CompiledTriggerSet Set { get; } = set;

    public EvalFrame Frame { get; } = frame;

    public TriggerRuntime[] Triggers { get; } = triggers;

    public bool[] Fresh { get; } = new bool[set.Signals.Count];

    public bool[] Resolved { get; } = new bool[set.Signals.Count];

    public int Kept { get; } = kept;

    /// <summary>Slots of the model outputs (<c>shadow.*</c>) the set reads: they fix the evaluation instant.</summary>
    public int[] ModelOutputSlots { get; } =
        [.. Enumerable.Range(0, set.Signals.Count).Where(slot => SignalPrefixes.IsModelOutput(set.Signals[slot].Name))];

    /// <summary>The instant the set was last evaluated at; the next is never earlier.</summary>
    public TimeSpan LastInstant { get; set; } = TimeSpan.MinValue;

    /// <summary>The <see cref="SignalAvailability.Version"/> last checked; -1 forces a first check.</summary>
    public int AvailabilityVersion { get; set; } = -1;

    /// <summary>The newest fresh embedding for minNovelty, or null when there is none to judge by.</summary>
    public float[]? LatestEmbedding(SignalBus bus)
    {
        if (_embeddingId is null)
        {
            if (!bus.TryGetId(Set.EmbeddingSignal, out var id) || bus.KindOf(id) != SignalKind.Vector)
            {
                return null;
            }

            _embeddingId = id;
        }

        return bus.TryGetLatest(_embeddingId.Value, out var sample) && Frame.Now - sample.Time.TotalSeconds <= Set.StaleAfter.TotalSeconds
            ? sample.Value.Reference as float[]
            : null;
    }
}
