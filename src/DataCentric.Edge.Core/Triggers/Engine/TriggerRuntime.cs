using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers.Language;

namespace DataCentric.Edge.Core.Triggers.Engine;

/// <summary>One trigger inside an engine: its temporal state, ledger and last level.</summary>
internal sealed class TriggerRuntime(CompiledTrigger trigger, ITemporalState[] states, TriggerLedger ledger, long clipBytes)
{
    public CompiledTrigger Trigger { get; } = trigger;

    public ITemporalState[] States { get; } = states;

    public TriggerLedger Ledger { get; } = ledger;

    public long ClipBytes { get; } = clipBytes;

    /// <summary>Made once, so a fire adds no allocation for the hit itself.</summary>
    public TriggerHit Hit { get; } = new(trigger.Id, trigger.Expression, trigger.Priority, trigger.Pre, trigger.Post);

    public bool LastLevel { get; set; }

    public bool Missing { get; set; }

    /// <summary>Set while a signal the trigger reads is unavailable; the trigger is skipped and reports this.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>Continuity is broken: temporal operators start over when the signals are back.</summary>
    public void MarkMissing()
    {
        if (Missing)
        {
            return;
        }

        Missing = true;
        foreach (var state in States)
        {
            state.Reset();
        }
    }
}
