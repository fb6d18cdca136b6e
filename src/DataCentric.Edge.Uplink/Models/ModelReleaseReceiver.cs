using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Uplink.Connection;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// The device's side of model releases. Listens on its own, its groups' and its fleet's retained
/// release topics; checks each manifest (<see cref="ModelReleaseVerifier"/>, no file) before
/// fetching anything; downloads the file chunk by chunk into a staging folder
/// (<see cref="ModelTransfer"/>); checks size and SHA-256; hands it to the <see cref="IModelActivator"/>;
/// and answers on its retained ack topic at every stage. One transfer runs at a time; a newer
/// release of the same model supersedes a pending or running one. What runs is the activator's
/// record alone (<see cref="IModelActivator.RunningOf"/>); the transfer keeps what is about transfer:
/// staging, the day's budget, the accepted versions and the releases already answered.
/// </summary>
public sealed partial class ModelReleaseReceiver : IDisposable
{
    private readonly DeviceConnection _connection;
    private readonly ModelReleaseDevice _device;
    private readonly ModelReleaseOptions _options;
    private readonly string _stateDirectory;
    private readonly IModelActivator? _activator;
    private readonly ModelNetworkPolicy _network;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte[]> _inbox = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModelReleaseCandidate> _wanted = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _rollback = new(1, 1);

    // The rolled-back acks of start-up rollbacks on their way to the broker, by instance.
    private readonly ConcurrentDictionary<ModelReleaseAck, ModelStartupRollback> _startupRollbackAcks = new(ReferenceEqualityComparer.Instance);

    public ModelReleaseReceiver(
        DeviceConnection connection, ModelReleaseDevice device, ModelReleaseOptions options, string stateDirectory,
        IModelActivator? activator, ModelNetworkPolicy network, TimeProvider timeProvider, ILogger<ModelReleaseReceiver> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _device = device;
        _options = options;
        _stateDirectory = DirectorySync.CreateDurably(stateDirectory);
        _activator = activator;
        _network = network;
        _timeProvider = timeProvider;
        _logger = logger;
        RetiredRunningModelsFile.Retire(_stateDirectory, activator, logger);
        Accepted = new AcceptedModelReleases(_stateDirectory);
        Decisions = new ModelReleaseDecisions(_stateDirectory);
        Budget = new ModelDownloadBudget(_stateDirectory, options.DownloadBudgetBytesPerDay, timeProvider);
        Acks = new ModelReleaseAcks(connection);
        Acks.Published += OnAckPublished;
        foreach (var filter in ModelTopics.ReleaseFilters(connection.Topics, device.Groups))
        {
            connection.Subscribe(filter, OnReleaseAsync);
        }
    }

    public ModelReleaseAcks Acks { get; }

    public AcceptedModelReleases Accepted { get; }

    public ModelReleaseDecisions Decisions { get; }

    public ModelDownloadBudget Budget { get; }

    /// <summary>Reports the releases taken out of service at start, then takes releases as they come and transfers them, one at a time, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await ReportStartupRollbacksAsync(cancellationToken).ConfigureAwait(false);
        ModelReleaseCandidate? running = null;
        Task? transfer = null;
        CancellationTokenSource? stop = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var topic in _inbox.Keys)
                {
                    if (_inbox.TryRemove(topic, out var envelope))
                    {
                        await TakeAsync(topic, envelope, running, stop, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (transfer is null && _wanted.Count > 0)
                {
                    running = _wanted.OrderBy(w => w.Key, StringComparer.Ordinal).First().Value;
                    stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    transfer = TransferAsync(running, stop.Token);
                }

                var woken = _wake.Reader.WaitToReadAsync(cancellationToken).AsTask();
                await Task.WhenAny(transfer is null ? [woken] : [woken, transfer]).ConfigureAwait(false);
                _wake.Reader.TryRead(out _);
                if (transfer is { IsCompleted: true })
                {
                    await FinishAsync(transfer, running!, stop!).ConfigureAwait(false);
                    transfer = null;
                    running = null;
                    stop = null;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: a transfer in progress keeps its staging folder and resumes at the next start.
        }
        finally
        {
            if (transfer is not null)
            {
                await stop!.CancelAsync().ConfigureAwait(false);
                await Task.WhenAny(transfer).ConfigureAwait(false);
                stop.Dispose();
            }
        }
    }

    public void Dispose() => _rollback.Dispose();

    /// <summary>
    /// Puts the model that ran before the active release of <paramref name="name"/> back (the
    /// <c>rollbackModel</c> command), and acks the release rolled back from as <c>rolledBack</c>.
    /// </summary>
    public async Task<ModelRollbackResult> RollBackAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await _rollback.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var from = _activator?.RunningOf(name);
            if (_activator is null)
            {
                return new ModelRollbackResult(name, false, from?.Version ?? 0, from?.Sha256) { Message = "this agent has no model activator: nothing to roll back" };
            }

            if (from is null)
            {
                return new ModelRollbackResult(name, false, 0, null) { Message = $"no release of model '{name}' runs on this device: the configured model file runs" };
            }

            var outcome = await _activator.RollBackAsync(name, cancellationToken).ConfigureAwait(false);
            if (!outcome.Active)
            {
                return new ModelRollbackResult(name, false, from.Version, from.Sha256) { Message = outcome.Message ?? outcome.Failure?.ToString() };
            }

            var now = _activator.RunningOf(name);
            LogRolledBack(name, from.Version, now?.Version ?? 0);
            var reason = new ModelReleaseAckReason(
                ModelTransferReasons.RolledBackByCommand, $"rolled back by a fleet manager (rollbackModel); {(now is null ? "the configured model file" : $"version {now.Version}")} runs again");
            await Acks.PublishAsync(Ack(name, from.Version, from.Sha256, ModelReleaseStage.RolledBack, [reason]), cancellationToken).ConfigureAwait(false);
            return new ModelRollbackResult(name, true, now?.Version ?? 0, now?.Sha256) { Message = outcome.Message };
        }
        finally
        {
            _rollback.Release();
        }
    }

    /// <summary>Checks one release's manifest; a release that passes becomes the one wanted for its model name.</summary>
    private async Task TakeAsync(string topic, byte[] envelope, ModelReleaseCandidate? running, CancellationTokenSource? stop, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(envelope));
        var name = ModelTopics.NameOfRelease(topic) ?? string.Empty;
        if (!_seen.Add(hash) || Decisions.WasDecided(hash))
        {
            return; // A retained release redelivered on reconnect or restart, decided before.
        }

        var result = ModelReleaseVerifier.Verify(envelope, null, _device, Accepted.VersionOf);
        if (IsWhatRuns(result, name))
        {
            // The model that runs, reaching this device again by a wider target (a rollout's group or fleet
            // stage after its canary stage): nothing to do, and a "notNewer" refusal would replace the "active" ack.
            Decisions.Decided(hash);
            LogAlreadyRuns(name, result.Release!.Version, topic);
            return;
        }

        var reasons = result.Problems.Select(p => new ModelReleaseAckReason(ModelTransferReasons.Of(p.Reason), p.Message)).ToList();
        if (result.Release is { } named && named.Name != name)
        {
            reasons.Add(new ModelReleaseAckReason(ModelTransferReasons.WrongTopic, $"the release is of model '{named.Name}' but was published on {topic}, the topic of model '{name}'"));
        }

        if (_activator is null)
        {
            reasons.Add(new ModelReleaseAckReason(ModelTransferReasons.NoActivator, "this agent has no model activator registered: it cannot put a model into service, so it downloads none"));
        }

        if (reasons.Count > 0 || result.Release is not { } release)
        {
            // Refused as before (a restart): not acked again, so the fleet's last word from this device stands.
            var verdict = string.Join(",", reasons.Select(r => r.Reason).Order(StringComparer.Ordinal));
            if (Decisions.RefusedAlike(hash, verdict))
            {
                LogStillRefused(name, topic, verdict);
                return;
            }

            Decisions.Refused(hash, verdict);
            LogRefused(name, topic, string.Join("; ", reasons.Select(r => $"{r.Reason}: {r.Message}")));
            await Acks.PublishAsync(Ack(name, result.Release?.Version ?? 0, result.Release?.Sha256 ?? string.Empty, ModelReleaseStage.Refused, reasons), cancellationToken).ConfigureAwait(false);
            return;
        }

        var candidate = new ModelReleaseCandidate(topic, envelope, hash, release);
        if (_wanted.TryGetValue(name, out var pending))
        {
            var (newer, older) = release.Version > pending.Release.Version ? (candidate, pending) : (pending, candidate);
            _wanted[name] = newer;
            if (ReferenceEquals(older, running))
            {
                await stop!.CancelAsync().ConfigureAwait(false);
            }

            // For good: after a restart the older one must not be downloaded once the newer one is decided.
            Decisions.Decided(older.Hash);
            LogSuperseded(name, older.Release.Version, newer.Release.Version);
            var why = new ModelReleaseAckReason(ModelTransferReasons.Superseded, $"version {newer.Release.Version} of model '{name}' ({newer.Topic}) replaces version {older.Release.Version} ({older.Topic})");
            await Acks.PublishAsync(Ack(name, older.Release.Version, older.Release.Sha256, ModelReleaseStage.Refused, [why]), cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(newer, candidate))
            {
                return;
            }
        }

        _wanted[name] = candidate;
    }

    private bool IsWhatRuns(ModelReleaseVerification result, string name) =>
        result.Release is { } release
        && release.Name == name
        && result.Problems.All(p => p.Reason == ModelReleaseRefusal.NotNewer)
        && _activator?.RunningOf(name) is { } running
        && running.Version == release.Version
        && string.Equals(running.Sha256, release.Sha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>After a transfer ended: it leaves the wanted list unless superseded, and any staging folder no wanted release owns goes.</summary>
    private async Task FinishAsync(Task transfer, ModelReleaseCandidate finished, CancellationTokenSource stop)
    {
        try
        {
            await transfer.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Superseded by a newer release: its folder is removed below.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The disk failed under the transfer: reported; the release stays wanted and is tried again on the next release message or restart.
            LogTransferFailed(e, finished.Release.Name, finished.Release.Version);
            _seen.Remove(finished.Hash);
        }
        finally
        {
            stop.Dispose();
        }

        if (_wanted.TryGetValue(finished.Release.Name, out var wanted) && ReferenceEquals(wanted, finished))
        {
            _wanted.Remove(finished.Release.Name);
        }

        var keep = _wanted.Values.Select(w => w.Release.Sha256.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var folder in ModelStaging.RemoveStale(_stateDirectory, keep))
        {
            LogStagingRemoved(folder);
        }
    }

    private Task TransferAsync(ModelReleaseCandidate candidate, CancellationToken cancellationToken) =>
        new ModelTransfer(this, candidate).RunAsync(cancellationToken);

    private Task OnReleaseAsync(MqttApplicationMessage message)
    {
        var payload = message.Payload;
        if (payload.IsEmpty)
        {
            return Task.CompletedTask; // A retained release was cleared: nothing to decide.
        }

        _inbox[message.Topic] = payload.Length > _device.MaxEnvelopeBytes + 1
            ? new byte[_device.MaxEnvelopeBytes + 1] // Only its length matters: refused as too large.
            : System.Buffers.BuffersExtensions.ToArray(payload);
        _wake.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Acks, once per release, each release the activator took out of service at start (it kept dying
    /// after the swap, or its file was lost): rolled back, with why and what runs now. Until the ack is
    /// on the broker the activator keeps it, so a start that dies first reports it the next time.
    /// </summary>
    private async Task ReportStartupRollbacksAsync(CancellationToken cancellationToken)
    {
        foreach (var rollback in _activator?.UnreportedStartupRollbacks() ?? [])
        {
            var failure = rollback.Outcome.Failure ?? ModelActivationFailure.LoadFailed;
            ModelReleaseAckReason[] reasons = [new(ModelTransferReasons.Of(failure), rollback.Outcome.Message ?? "taken out of service at start")];
            var ack = Ack(rollback.Name, rollback.Version, rollback.Sha256, ModelReleaseStage.RolledBack, reasons);
            _startupRollbackAcks[ack] = rollback;
            LogRolledBackAtStart(rollback.Name, rollback.Version, rollback.ActiveVersion, failure);
            await Acks.PublishAsync(ack, cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnAckPublished(ModelReleaseAck ack)
    {
        if (_startupRollbackAcks.TryRemove(ack, out var rollback))
        {
            _activator?.StartupRollbackReported(rollback);
        }
    }

    private ModelReleaseAck Ack(string name, int version, string sha256, ModelReleaseStage stage, IReadOnlyList<ModelReleaseAckReason> reasons)
    {
        var active = _activator?.RunningOf(name);
        return new ModelReleaseAck(_device.Fleet, _device.Device, name, version, sha256, stage, reasons, active?.Version ?? 0, active?.Sha256, _timeProvider.GetUtcNow());
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Warning, Message = "Model release of {ModelName} from {Topic} refused: {Reasons}")]
    private partial void LogRefused(string modelName, string topic, string reasons);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Information, Message = "Model {ModelName} version {Older} superseded by version {Newer}")]
    private partial void LogSuperseded(string modelName, int older, int newer);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Information, Message = "Stale model staging folder {Folder} removed")]
    private partial void LogStagingRemoved(string folder);

    [LoggerMessage(EventId = 1313, Level = LogLevel.Error, Message = "Transfer of model {ModelName} version {Version} failed on the disk; it is tried again on the next release message")]
    private partial void LogTransferFailed(Exception exception, string modelName, int version);

    [LoggerMessage(EventId = 1314, Level = LogLevel.Warning, Message = "Model {ModelName} rolled back from version {From} to version {To} by command")]
    private partial void LogRolledBack(string modelName, int from, int to);

    [LoggerMessage(EventId = 1324, Level = LogLevel.Warning, Message = "Model {ModelName} version {From} was taken out of service at start ({Failure}); version {To} runs (0: the configured file), the fleet is told")]
    private partial void LogRolledBackAtStart(string modelName, int from, int to, ModelActivationFailure failure);

    [LoggerMessage(EventId = 1326, Level = LogLevel.Information, Message = "Model release of {ModelName} version {Version} from {Topic} is the release that runs: nothing to do")]
    private partial void LogAlreadyRuns(string modelName, int version, string topic);

    [LoggerMessage(EventId = 1325, Level = LogLevel.Debug, Message = "Model release of {ModelName} from {Topic} refused again as before ({Verdict}); not acked again")]
    private partial void LogStillRefused(string modelName, string topic, string verdict);
}
