using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Uplink.Connection;
using MQTTnet;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>
/// The device's side of remote trigger sets. Listens on its own, its groups' and its fleet's
/// retained config topics; verifies each set (<see cref="TriggerSetVerifier"/>); on success keeps
/// the envelope on disk (the one before it too, for rollback) and activates the set on the
/// <see cref="ActiveTriggerSet"/>; always answers on its retained ack topic, accepted or rejected
/// with every error. The last good set stays active on any refusal, and across restarts. It follows
/// the active set: the device's status announces its version, and a rollback puts the envelope
/// before it back on disk and refuses the one rolled back from (its retained ack says so).
/// </summary>
public sealed class RemoteTriggerSets : IDisposable
{
    private const string ActiveFile = "active.envelope.json";
    private const string PreviousFile = "previous.envelope.json";
    private const string RolledBackFile = "rolled-back.sha256";
    private const string RolledBackError = "this set was rolled back on this device; sign and push a new version to apply it again";
    private readonly DeviceConnection _connection;
    private readonly ActiveTriggerSet _active;
    private readonly TriggerSetDevice _device;
    private readonly string _stateDirectory;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _rolledBackLock = new();
    private readonly HashSet<string> _rolledBack = new(StringComparer.Ordinal);
    private readonly IDisposable _following;
    private volatile string? _activeEnvelopeHash;

    public RemoteTriggerSets(DeviceConnection connection, ActiveTriggerSet active, TriggerSetDevice device, string stateDirectory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(active);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _connection = connection;
        _active = active;
        _device = device;
        _stateDirectory = DirectorySync.CreateDurably(stateDirectory);
        _timeProvider = timeProvider;
        var topics = connection.Topics;
        connection.Subscribe(topics.DeviceTriggerSet, OnMessageAsync);
        connection.Subscribe(topics.FleetTriggerSet, OnMessageAsync);
        foreach (var group in device.Groups)
        {
            connection.Subscribe(topics.GroupTriggerSet(group), OnMessageAsync);
        }

        var rolledBackFile = Path.Combine(_stateDirectory, RolledBackFile);
        if (File.Exists(rolledBackFile))
        {
            _rolledBack.UnionWith(File.ReadAllLines(rolledBackFile).Where(l => l.Length > 0));
        }

        connection.Signals = [.. device.Signals.Select(s => $"{s.Name}:{s.Kind.ToString().ToLowerInvariant()}")];
        connection.Groups = [.. device.Groups];
        _following = active.Subscribe(OnChanged);
    }

    /// <summary>Raised with every decision, after it was applied (or refused).</summary>
    public event Action<TriggerSetAck>? Decided;

    /// <summary>
    /// Re-applies the set accepted before a restart, checked again (keys may have been unpinned since).
    /// Returns the reasons when the stored set no longer passes; the file's set then stays active.
    /// </summary>
    public IReadOnlyList<string> RestoreAccepted()
    {
        var path = Path.Combine(_stateDirectory, ActiveFile);
        if (!File.Exists(path))
        {
            return [];
        }

        var bytes = File.ReadAllBytes(path);
        var result = TriggerSetVerifier.Verify(bytes, _device, _active.Version);
        if (!result.Accepted)
        {
            return result.Errors;
        }

        var hash = Hash(bytes);
        try
        {
            _active.Activate(result.Set!, keep: () => _activeEnvelopeHash = hash);
        }
        catch (TriggerSetRejectedException e)
        {
            return [.. e.Errors.Select(d => d.Message)];
        }

        return [];
    }

    /// <summary>Checks and applies one message from a config topic; null when there was nothing to decide.</summary>
    public async Task<TriggerSetAck?> HandleAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (payload.IsEmpty)
        {
            return null; // A retained set was cleared: nothing to apply.
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        TriggerSetAck ack;
        try
        {
            var hash = Hash(payload.Span);
            if (hash == _activeEnvelopeHash)
            {
                return null; // The active set, redelivered as retained on reconnect.
            }

            var result = TriggerSetVerifier.Verify(payload.Span, _device, _active.Version);
            if (IsRolledBack(hash))
            {
                result = result with { Set = null, Errors = [RolledBackError, .. result.Errors] };
            }

            if (result.Accepted)
            {
                try
                {
                    _active.Activate(result.Set!, keep: () =>
                    {
                        // Checked again with no rollback in between: the set may have just been rolled back from.
                        if (IsRolledBack(hash))
                        {
                            throw new TriggerSetRejectedException([new TriggerDiagnostic(null, "version", RolledBackError, 0, 0)]);
                        }

                        Persist(payload.Span);
                        _activeEnvelopeHash = hash;
                    });
                }
                catch (TriggerSetRejectedException e)
                {
                    // The active set changed since the check: the version rule is the active set's.
                    result = result with { Set = null, Errors = [.. e.Errors.Select(d => d.Message)] };
                }
            }

            ack = new TriggerSetAck(
                _device.Fleet, _device.Device, topic, result.Accepted ? TriggerSetDecision.Accepted : TriggerSetDecision.Rejected,
                result.Payload?.Version, result.KeyId, _active.Version, result.Errors, _timeProvider.GetUtcNow())
            {
                Sha256 = hash,
            };
        }
        finally
        {
            _gate.Release();
        }

        Decided?.Invoke(ack);
        if (_connection.IsConnected)
        {
            await _connection.PublishJsonAsync(_connection.Topics.TriggerSetAck, ack, retain: true, cancellationToken).ConfigureAwait(false);
            await _connection.RefreshStatusAsync(cancellationToken).ConfigureAwait(false);
        }

        return ack;
    }

    public void Dispose()
    {
        _following.Dispose();
        _gate.Dispose();
    }

    /// <summary>
    /// The status announces the active version; after a rollback the disk follows, and so does the
    /// retained ack: it said the set rolled back from was accepted and active, which is no longer
    /// true (and <c>edgectl triggers status</c> showed it so), so it is replaced by this device's
    /// refusal of that set.
    /// </summary>
    private void OnChanged(TriggerSetChange change)
    {
        _connection.TriggerSetVersion = change.Set.Version;
        if (change.Kind == TriggerSetChangeKind.RolledBack && KeepRollback() is { } refusal)
        {
            _ = AnnounceAsync(refusal);
        }
    }

    /// <summary>Publishes a decision the device made on its own (a rollback), in order with the others.</summary>
    private async Task AnnounceAsync(TriggerSetAck ack)
    {
        try
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                Decided?.Invoke(ack);
                if (_connection.IsConnected)
                {
                    await _connection.PublishJsonAsync(_connection.Topics.TriggerSetAck, ack, retain: true, CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // Disconnected or shutting down: the status still announces the active version, and the
            // next decision replaces the retained ack.
        }
    }

    /// <summary>
    /// Puts the envelope before the active one back as active (none: the agent's own config file's set was);
    /// the refusal of the set rolled back from, or null when that was the config file's own.
    /// </summary>
    private TriggerSetAck? KeepRollback()
    {
        var active = Path.Combine(_stateDirectory, ActiveFile);
        var previous = Path.Combine(_stateDirectory, PreviousFile);
        var refusal = _activeEnvelopeHash is { } from && File.Exists(active) ? RefusalOf(File.ReadAllBytes(active), from) : null;

        // The set rolled back from stays refused (it is still retained on the broker and would
        // come back on the next reconnect); a new version is needed to apply it again.
        if (_activeEnvelopeHash is { } rolledBack)
        {
            AppendDurably(Path.Combine(_stateDirectory, RolledBackFile), rolledBack + "\n");
            lock (_rolledBackLock)
            {
                _rolledBack.Add(rolledBack);
            }
        }

        if (File.Exists(previous))
        {
            File.Move(previous, active, overwrite: true);
        }
        else
        {
            // The previous set was the one from the agent's own config file.
            File.Delete(active);
        }

        // A rollback lost to a power loss would bring the set rolled back from back at the next start.
        DirectorySync.Sync(_stateDirectory);
        _activeEnvelopeHash = File.Exists(active) ? Hash(File.ReadAllBytes(active)) : null;
        return refusal;
    }

    /// <summary>The ack refusing an envelope this device accepted before (so it parses), on the topic it came from.</summary>
    private TriggerSetAck? RefusalOf(byte[] envelopeBytes, string hash)
    {
        try
        {
            var envelope = System.Text.Json.JsonSerializer.Deserialize(envelopeBytes, UplinkJson.TypeInfo<TriggerSetEnvelope>());
            var payload = envelope?.Payload is { } base64
                ? System.Text.Json.JsonSerializer.Deserialize(Convert.FromBase64String(base64), UplinkJson.TypeInfo<TriggerSetPayload>())
                : null;
            if (payload is null)
            {
                return null;
            }

            var topics = _connection.Topics;
            var topic = payload.Target.Scope switch
            {
                TargetScope.Device => topics.DeviceTriggerSet,
                TargetScope.Group => topics.GroupTriggerSet(payload.Target.Name ?? string.Empty),
                _ => topics.FleetTriggerSet,
            };
            return new TriggerSetAck(
                _device.Fleet, _device.Device, topic, TriggerSetDecision.Rejected, payload.Version, envelope!.KeyId, _active.Version, [RolledBackError], _timeProvider.GetUtcNow())
            {
                Sha256 = hash,
            };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            return null; // Not expected of a file this device wrote; the status still tells the active version.
        }
    }

    private bool IsRolledBack(string hash)
    {
        lock (_rolledBackLock)
        {
            return _rolledBack.Contains(hash);
        }
    }

    private Task OnMessageAsync(MqttApplicationMessage message)
    {
        var payload = message.Payload;
        var bytes = payload.Length > _device.MaxEnvelopeBytes + 1
            ? new byte[_device.MaxEnvelopeBytes + 1] // Only its length matters: refused as too large.
            : System.Buffers.BuffersExtensions.ToArray(payload);
        return HandleAsync(message.Topic, bytes, CancellationToken.None);
    }

    private void Persist(ReadOnlySpan<byte> envelope)
    {
        var active = Path.Combine(_stateDirectory, ActiveFile);
        var temp = active + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(envelope);
            file.Flush(flushToDisk: true);
        }

        if (File.Exists(active))
        {
            File.Move(active, Path.Combine(_stateDirectory, PreviousFile), overwrite: true);
        }

        File.Move(temp, active);

        // The renames are the accepted set: make them durable before the ack says accepted.
        DirectorySync.Sync(_stateDirectory);
    }

    private static void AppendDurably(string path, string line)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None);
        file.Write(System.Text.Encoding.UTF8.GetBytes(line));
        file.Flush(flushToDisk: true);
    }

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
