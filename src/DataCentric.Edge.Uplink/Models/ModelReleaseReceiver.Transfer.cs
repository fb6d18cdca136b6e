using System.Globalization;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace DataCentric.Edge.Uplink.Models;

public sealed partial class ModelReleaseReceiver
{
    /// <summary>
    /// One release from first chunk to ack: asks for the chunks still missing, a few at a time (one
    /// subscription per chunk: the retained chunk comes back at once, and a chunk already on disk is
    /// never asked for again), within the day's budget and the network policy; then the file check
    /// and the activation.
    /// </summary>
    private sealed class ModelTransfer(ModelReleaseReceiver owner, ModelReleaseCandidate candidate)
    {
        private const int ProgressSteps = 10;
        private readonly ModelReleasePayload _release = candidate.Release;
        private readonly Channel<int> _arrived = Channel.CreateUnbounded<int>();
        private readonly HashSet<int> _asked = [];
        private ModelStaging? _staging;
        private string _chunkPrefix = string.Empty;
        private volatile string? _badChunk;
        private string? _waitingFor;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            _chunkPrefix = ModelTopics.ChunkPrefix(owner._device.Fleet, _release.Sha256);
            using var staging = ModelStaging.Open(owner._stateDirectory, _release);
            _staging = staging;
            try
            {
                owner.LogTransferStarted(_release.Name, _release.Version, staging.ChunkCount - staging.Missing().Count, staging.ChunkCount);
                await DownloadAsync(staging, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                foreach (var index in _asked)
                {
                    await UnsubscribeAsync(index).ConfigureAwait(false);
                }
            }

            if (_badChunk is { } bad)
            {
                await RefuseAsync(staging, [new ModelReleaseAckReason(ModelTransferReasons.Of(ModelReleaseRefusal.SizeMismatch), bad)], cancellationToken).ConfigureAwait(false);
                return;
            }

            staging.Dispose();
            var check = ModelReleaseVerifier.Verify(candidate.Envelope, staging.PartPath, owner._device, owner.Accepted.VersionOf);
            if (!check.Accepted)
            {
                await RefuseAsync(staging, [.. check.Problems.Select(p => new ModelReleaseAckReason(ModelTransferReasons.Of(p.Reason), p.Message))], cancellationToken).ConfigureAwait(false);
                return;
            }

            var file = Path.Combine(staging.Directory, $"{_release.Name}-v{_release.Version.ToString(CultureInfo.InvariantCulture)}.onnx");
            File.Move(staging.PartPath, file, overwrite: true);
            await ActivateAsync(staging, file, cancellationToken).ConfigureAwait(false);
        }

        private async Task DownloadAsync(ModelStaging staging, CancellationToken cancellationToken)
        {
            var missing = new Queue<int>(staging.Missing());
            var outstanding = new HashSet<int>();
            var reported = -1;
            await ProgressAsync(staging, null, cancellationToken).ConfigureAwait(false);
            while (!staging.IsComplete && _badChunk is null)
            {
                string? hold = null;
                while (outstanding.Count < owner._options.ChunksInFlight && missing.Count > 0)
                {
                    hold = owner._network.WhyNot() is { } network ? $"{ModelTransferReasons.NetworkNotAllowed}\t{network}"
                        : !owner.Budget.TryTake(ModelTopics.ChunkLength(_release.SizeBytes, missing.Peek())) ? $"{ModelTransferReasons.OverDownloadBudget}\t{BudgetMessage()}"
                        : null;
                    if (hold is not null)
                    {
                        break;
                    }

                    var index = missing.Dequeue();
                    outstanding.Add(index);
                    await SubscribeAsync(index, cancellationToken).ConfigureAwait(false);
                }

                // The ack says why the transfer waits once nothing is in flight, and that it goes on once it does.
                if ((hold is not null && outstanding.Count == 0 && hold != _waitingFor) || (hold is null && _waitingFor is not null && !IsChunkMissing(_waitingFor)))
                {
                    _waitingFor = hold;
                    await ProgressAsync(staging, hold, cancellationToken).ConfigureAwait(false);
                }

                // In flight: wait for the next chunk (as long as ChunkTimeout). Held with nothing in flight: look again later.
                var wait = outstanding.Count > 0 ? owner._options.ChunkTimeout
                    : hold is not null && hold.StartsWith(ModelTransferReasons.OverDownloadBudget, StringComparison.Ordinal)
                        ? Min(owner.Budget.NextDay - owner._timeProvider.GetUtcNow(), owner._options.NetworkRecheckInterval)
                        : owner._options.NetworkRecheckInterval;
                if (await NextArrivalAsync(wait, cancellationToken).ConfigureAwait(false) is { } arrived)
                {
                    do
                    {
                        if (outstanding.Remove(arrived))
                        {
                            await UnsubscribeAsync(arrived).ConfigureAwait(false);
                        }
                    }
                    while (_arrived.Reader.TryRead(out arrived));

                    var step = (int)(staging.BytesReceived * ProgressSteps / Math.Max(1, _release.SizeBytes));
                    var missingCleared = _waitingFor is not null && IsChunkMissing(_waitingFor);
                    if ((step != reported || missingCleared) && !staging.IsComplete)
                    {
                        reported = step;
                        _waitingFor = missingCleared ? null : _waitingFor;
                        await ProgressAsync(staging, _waitingFor, cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (outstanding.Count > 0)
                {
                    var topics = string.Join(", ", outstanding.Order().Take(5).Select(i => _chunkPrefix + i.ToString(CultureInfo.InvariantCulture)));
                    _waitingFor = $"{ModelTransferReasons.ChunkMissing}\t{outstanding.Count} chunk(s) asked for did not arrive within {owner._options.ChunkTimeout}: {topics} (not on the broker yet? the transfer keeps waiting)";
                    await ProgressAsync(staging, _waitingFor, cancellationToken).ConfigureAwait(false);
                }
            }

            if (staging.IsComplete)
            {
                owner.LogTransferComplete(_release.Name, _release.Version, _release.SizeBytes);
            }
        }

        private async Task<int?> NextArrivalAsync(TimeSpan wait, CancellationToken cancellationToken)
        {
            if (_arrived.Reader.TryRead(out var ready))
            {
                return ready;
            }

            using var timeout = new CancellationTokenSource(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), owner._timeProvider);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                return await _arrived.Reader.ReadAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }

        private async Task ActivateAsync(ModelStaging staging, string file, CancellationToken cancellationToken)
        {
            await owner.Acks.PublishAsync(Ack(ModelReleaseStage.Probation, []), cancellationToken).ConfigureAwait(false);
            ModelActivationOutcome outcome;
            try
            {
                outcome = await owner._activator!.ActivateAsync(_release, file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The activator's own fault must not stop the agent: the running model stays, and the ack says what broke.
                outcome = new ModelActivationOutcome(false, ModelActivationFailure.LoadFailed, $"the activator failed: {e.GetType().Name}: {e.Message}", null);
            }

            // Decided before the ack goes out: a stop while it is being sent must not take the release again at the next start.
            owner.Decisions.Decided(candidate.Hash);
            if (outcome.Active)
            {
                owner.Accepted.RecordActivated(_release.Name, _release.Version);
                owner.LogActivated(_release.Name, _release.Version);
                await owner.Acks.PublishAsync(Ack(ModelReleaseStage.Active, []) with { Probation = outcome.Probation }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var failure = outcome.Failure ?? ModelActivationFailure.LoadFailed;

                // Load and memory failures happen before the swap: refused. Probation and crash loops undo a swap: rolled back.
                var stage = failure is ModelActivationFailure.LoadFailed or ModelActivationFailure.OverMemoryLimit ? ModelReleaseStage.Refused : ModelReleaseStage.RolledBack;
                var reason = new ModelReleaseAckReason(ModelTransferReasons.Of(failure), outcome.Message ?? failure.ToString());
                owner.LogNotActivated(_release.Name, _release.Version, stage, reason.Message);
                await owner.Acks.PublishAsync(Ack(stage, [reason]) with { Probation = outcome.Probation }, cancellationToken).ConfigureAwait(false);
            }

            staging.Delete();
        }

        private async Task RefuseAsync(ModelStaging staging, IReadOnlyList<ModelReleaseAckReason> reasons, CancellationToken cancellationToken)
        {
            owner.LogRefused(_release.Name, candidate.Topic, string.Join("; ", reasons.Select(r => $"{r.Reason}: {r.Message}")));
            owner.Decisions.Decided(candidate.Hash);
            staging.Delete();
            await owner.Acks.PublishAsync(Ack(ModelReleaseStage.Refused, reasons), cancellationToken).ConfigureAwait(false);
        }

        private Task ProgressAsync(ModelStaging staging, string? hold, CancellationToken cancellationToken)
        {
            ModelReleaseAckReason[] reasons = hold is null ? [] : [new ModelReleaseAckReason(hold[..hold.IndexOf('\t', StringComparison.Ordinal)], hold[(hold.IndexOf('\t', StringComparison.Ordinal) + 1)..])];
            return owner.Acks.PublishAsync(Ack(ModelReleaseStage.Downloading, reasons) with { BytesReceived = staging.BytesReceived }, cancellationToken);
        }

        private ModelReleaseAck Ack(ModelReleaseStage stage, IReadOnlyList<ModelReleaseAckReason> reasons) =>
            owner.Ack(_release.Name, _release.Version, _release.Sha256, stage, reasons);

        private string BudgetMessage() => string.Create(
            CultureInfo.InvariantCulture,
            $"{owner.Budget.UsedToday} of ModelReleases:DownloadBudgetBytesPerDay {owner.Budget.BytesPerDay} bytes used today (UTC); the transfer goes on at {owner.Budget.NextDay:yyyy-MM-ddTHH:mm:ssZ}");

        private async Task SubscribeAsync(int index, CancellationToken cancellationToken)
        {
            _asked.Add(index);
            try
            {
                await owner._connection.SubscribeNowAsync(_chunkPrefix + index.ToString(CultureInfo.InvariantCulture), OnChunkAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Offline: the subscription is kept and taken on the next connect.
            }
        }

        private async Task UnsubscribeAsync(int index)
        {
            _asked.Remove(index);
            try
            {
                await owner._connection.UnsubscribeAsync(_chunkPrefix + index.ToString(CultureInfo.InvariantCulture), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or ObjectDisposedException or InvalidOperationException)
            {
                // Offline or closing: the broker forgets it with the session, and a stray chunk has no handler.
            }
        }

        /// <summary>On the connection's receive path: the chunk goes straight to disk, only its index to the transfer.</summary>
        private Task OnChunkAsync(MqttApplicationMessage message)
        {
            var topic = message.Topic;
            if (_staging is not { } staging || message.Payload.IsEmpty || !topic.StartsWith(_chunkPrefix, StringComparison.Ordinal)
                || !int.TryParse(topic.AsSpan(_chunkPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return Task.CompletedTask;
            }

            try
            {
                if (staging.Write(index, message.Payload, topic) is { } problem)
                {
                    _badChunk ??= problem;
                }
            }
            catch (ObjectDisposedException)
            {
                return Task.CompletedTask; // The transfer ended (superseded or stopping) while this chunk was on its way.
            }

            _arrived.Writer.TryWrite(index);
            return Task.CompletedTask;
        }

        private static bool IsChunkMissing(string hold) => hold.StartsWith(ModelTransferReasons.ChunkMissing, StringComparison.Ordinal);

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }

    [LoggerMessage(EventId = 1315, Level = LogLevel.Information, Message = "Model {ModelName} version {Version}: transfer starts with {Held} of {Chunks} chunks already held")]
    private partial void LogTransferStarted(string modelName, int version, int held, int chunks);

    [LoggerMessage(EventId = 1316, Level = LogLevel.Information, Message = "Model {ModelName} version {Version}: all {Bytes} bytes received")]
    private partial void LogTransferComplete(string modelName, int version, long bytes);

    [LoggerMessage(EventId = 1317, Level = LogLevel.Information, Message = "Model {ModelName} version {Version} active")]
    private partial void LogActivated(string modelName, int version);

    [LoggerMessage(EventId = 1318, Level = LogLevel.Warning, Message = "Model {ModelName} version {Version} {Stage}: {Reason}")]
    private partial void LogNotActivated(string modelName, int version, ModelReleaseStage stage, string reason);
}
