using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Brings back the remote trigger set accepted before a restart (before the trigger worker starts
/// ticking), then reports every remote set decision and every rollback. The sets themselves arrive
/// on the device's MQTT session, which the upload worker keeps connected.
/// </summary>
internal sealed partial class RemoteConfigWorker(
    RemoteTriggerSets remoteSets, ActiveTriggerSet activeSet, IConfigHistory catalog, TimeProvider timeProvider, ILogger<RemoteConfigWorker> logger)
    : IHostedService, IDisposable
{
    private IDisposable? _rollbacks;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = remoteSets.RestoreAccepted();
        if (problems.Count > 0)
        {
            LogRestoreRefused(string.Join("; ", problems));
        }

        remoteSets.Decided += OnDecided;
        _rollbacks = activeSet.Subscribe(OnChanged);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        remoteSets.Decided -= OnDecided;
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _rollbacks?.Dispose();
        _rollbacks = null;
    }

    private void OnDecided(TriggerSetAck ack)
    {
        if (ack.Decision == TriggerSetDecision.Accepted)
        {
            LogAccepted(ack.Version ?? 0, ack.Topic, ack.KeyId);

            // The config history engineers ask about: which set ran from when, and from where.
            catalog.AddConfigChange(new ConfigChange(ActiveTriggerSet.ConfigKind, ack.Version ?? 0, ack.Sha256 ?? string.Empty, ack.At, ack.Topic, $"signed by key {ack.KeyId}"));
        }
        else
        {
            LogRejected(ack.Topic, ack.ActiveVersion, string.Join("; ", ack.Errors));
        }
    }

    private void OnChanged(TriggerSetChange change)
    {
        if (change.Kind != TriggerSetChangeKind.RolledBack)
        {
            return;
        }

        var version = change.Set.Version;
        LogRolledBack(version);
        catalog.AddConfigChange(new ConfigChange(ActiveTriggerSet.ConfigKind, version, string.Empty, timeProvider.GetUtcNow(), "rollbackTriggers command", "rolled back"));
    }

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Trigger set rolled back; version {Version} active")]
    private partial void LogRolledBack(int version);

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Remote trigger set version {Version} from {Topic} accepted (key {KeyId}) and active")]
    private partial void LogAccepted(int version, string topic, string? keyId);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Remote trigger set from {Topic} rejected; version {ActiveVersion} stays active: {Errors}")]
    private partial void LogRejected(string topic, int activeVersion, string errors);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "The remote trigger set accepted before the restart no longer passes; the configured set stays active: {Errors}")]
    private partial void LogRestoreRefused(string errors);
}
