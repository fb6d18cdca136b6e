using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using DataCentric.Edge.Core.Upload;
using MQTTnet;
using MQTTnet.Protocol;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Uplink.Mqtt;

/// <summary>
/// Collects clip uploads from the fleet: writes chunks idempotently into
/// {output}/{fleet}/{device}/, verifies the SHA-256 when a clip is whole, renames it into place and
/// acknowledges it to the device. A clip already held is acknowledged again and not rewritten,
/// so resends are harmless.
/// </summary>
public sealed class ClipReceiver : IAsyncDisposable
{
    private readonly ReceiverOptions _options;
    private readonly UplinkOptions _uplink;
    private readonly BrokerEndpoint _endpoint;
    private readonly IMqttClient _client;
    private readonly Dictionary<string, ClipAssembly> _inFlight = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly string _root;

    public ClipReceiver(ReceiverOptions options, UplinkOptions uplink, BrokerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(uplink);
        ArgumentNullException.ThrowIfNull(endpoint);
        _options = options;
        _uplink = uplink;
        _endpoint = endpoint;
        _root = Directory.CreateDirectory(options.OutputDirectory).FullName;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>A clip arrived whole and verified.</summary>
    public event Action<ReceivedClip>? ClipReceived;

    /// <summary>A message could not be used; the text says what and from where.</summary>
    public event Action<string>? Rejected;

    public long DuplicateChunks { get; private set; }

    public bool IsConnected => _client.IsConnected;

    public async Task<bool> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return true;
        }

        var options = MqttClientOptionsFactory.Create(_uplink, _endpoint, _options.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_uplink.SessionExpiry.TotalSeconds)
            .Build()
            .WithSocketBuffer(_uplink);
        var result = await _client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            return false;
        }

        var filter = _options.SharedGroup is { Length: > 0 } group
            ? $"$share/{group}/{FleetTopics.AllClipUploads}"
            : FleetTopics.AllClipUploads;
        await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Broker already gone.
            }
        }

        _client.Dispose();
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (!FleetTopics.TryParseClipTopic(message.Topic, out var fleet, out var device, out var clipId, out var kind))
        {
            return;
        }

        ClipAck? ack = null;
        try
        {
            lock (_lock)
            {
                ack = kind switch
                {
                    "manifest" => OnManifest(fleet, device, clipId, message.Payload),
                    "chunk" => OnChunk(fleet, device, clipId, message),
                    _ => null,
                };
            }
        }
        catch (InvalidDataException error)
        {
            Rejected?.Invoke($"{message.Topic}: {error.Message}");
        }

        if (ack is not null)
        {
            var topics = new FleetTopics(fleet, device);
            await _client.PublishAsync(
                new MqttApplicationMessageBuilder().WithTopic(topics.ClipAck(clipId))
                    .WithPayload(JsonSerializer.SerializeToUtf8Bytes(ack, UplinkJson.Options))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                CancellationToken.None).ConfigureAwait(false);
        }
    }

    private ClipAck? OnManifest(string fleet, string device, string clipId, ReadOnlySequence<byte> payload)
    {
        var manifest = MqttClipUploader.Deserialize<ClipManifest>(payload)
            ?? throw new InvalidDataException("manifest is not valid JSON");
        if (manifest.ClipId != clipId || manifest.Fleet != fleet || manifest.Device != device)
        {
            throw new InvalidDataException($"manifest names clip {manifest.ClipId} of {manifest.Fleet}/{manifest.Device}, not the topic's");
        }

        if (!IsSafeFileName(manifest.FileName))
        {
            throw new InvalidDataException($"manifest file name '{manifest.FileName}' is not a plain file name");
        }

        var finalPath = FinalPath(fleet, device, manifest.FileName);
        if (File.Exists(finalPath))
        {
            return new ClipAck(clipId, ClipAckStatus.Complete, manifest.Sha256, "already held");
        }

        var assembly = Assembly(fleet, device, clipId);
        assembly.Manifest = manifest;
        return TryComplete(assembly, fleet, device);
    }

    private ClipAck? OnChunk(string fleet, string device, string clipId, MqttApplicationMessage message)
    {
        var index = IntProperty(message, ChunkProperties.Index);
        var count = IntProperty(message, ChunkProperties.Count);
        var chunkBytes = IntProperty(message, ChunkProperties.ChunkBytes);
        if (!_inFlight.ContainsKey(Key(fleet, device, clipId)) && Directory.Exists(DeviceDirectory(fleet, device))
            && Directory.EnumerateFiles(DeviceDirectory(fleet, device), clipId + ".*").Any(p => !p.EndsWith(".partial", StringComparison.Ordinal)))
        {
            DuplicateChunks++;
            return null;
        }

        var assembly = Assembly(fleet, device, clipId);
        var payload = message.Payload;
        var data = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        assembly.Write(index, count, chunkBytes, data);
        return TryComplete(assembly, fleet, device);
    }

    private ClipAck? TryComplete(ClipAssembly assembly, string fleet, string device)
    {
        if (!assembly.IsComplete)
        {
            return null;
        }

        var manifest = assembly.Manifest!;
        _inFlight.Remove(Key(fleet, device, manifest.ClipId));
        if (!assembly.Verify())
        {
            File.Delete(assembly.PartialPath);
            Rejected?.Invoke($"clip {manifest.ClipId} from {fleet}/{device}: SHA-256 does not match the manifest; asked for a resend");
            return new ClipAck(manifest.ClipId, ClipAckStatus.HashMismatch, manifest.Sha256, "sha256 mismatch");
        }

        var finalPath = FinalPath(fleet, device, manifest.FileName);
        File.Move(assembly.PartialPath, finalPath, overwrite: true);
        ClipReceived?.Invoke(new ReceivedClip(manifest, finalPath));
        return new ClipAck(manifest.ClipId, ClipAckStatus.Complete, manifest.Sha256, null);
    }

    private ClipAssembly Assembly(string fleet, string device, string clipId)
    {
        var key = Key(fleet, device, clipId);
        if (!_inFlight.TryGetValue(key, out var assembly))
        {
            if (_inFlight.Count >= _options.MaxClipsInFlight)
            {
                var oldest = _inFlight.MinBy(p => p.Value.LastActivityUtc);
                _inFlight.Remove(oldest.Key);
                Rejected?.Invoke($"too many clips in flight; forgot the partial state of {oldest.Key}");
            }

            Directory.CreateDirectory(DeviceDirectory(fleet, device));
            assembly = new ClipAssembly(Path.Combine(DeviceDirectory(fleet, device), clipId + ".partial"));
            _inFlight[key] = assembly;
        }

        return assembly;
    }

    private string DeviceDirectory(string fleet, string device) => Path.Combine(_root, fleet, device);

    private string FinalPath(string fleet, string device, string fileName) => Path.Combine(DeviceDirectory(fleet, device), fileName);

    private static string Key(string fleet, string device, string clipId) => $"{fleet}/{device}/{clipId}";

    private static bool IsSafeFileName(string name) =>
        name.Length is > 0 and < 200 && name == Path.GetFileName(name) && name != "." && name != ".." && !name.EndsWith(".partial", StringComparison.Ordinal);

    private static int IntProperty(MqttApplicationMessage message, string name)
    {
        var property = message.UserProperties?.FirstOrDefault(p => p.Name == name)
            ?? throw new InvalidDataException($"chunk has no '{name}' user property");
        if (!Utf8Parser.TryParse(property.ValueBuffer.Span, out int value, out var consumed) || consumed != property.ValueBuffer.Length || value < 0)
        {
            throw new InvalidDataException($"chunk property '{name}' is not a non-negative integer");
        }

        return value;
    }
}
