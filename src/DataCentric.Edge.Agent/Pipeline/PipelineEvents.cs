using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Agent.Pipeline;

/// <summary>Notifications for whoever reports on the pipeline (the demo console, status); handlers must be quick.</summary>
public sealed class PipelineEvents
{
    public event Action<TriggerEvent>? TriggerFired;

    public event Action<StoredClip>? ClipStored;

    public event Action<string>? ClipAcknowledged;

    internal void OnTriggerFired(TriggerEvent triggerEvent) => TriggerFired?.Invoke(triggerEvent);

    internal void OnClipStored(StoredClip clip) => ClipStored?.Invoke(clip);

    internal void OnClipAcknowledged(string clipId) => ClipAcknowledged?.Invoke(clipId);
}
