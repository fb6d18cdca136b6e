using System.Collections.Concurrent;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Models;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>
/// The fleet page's live side: the latest health each device reported (the catalog keeps state and
/// trigger set, not health), and every status the tracker applied, fanned out to the open pages.
/// Each page has its own bounded queue: a slow browser loses its oldest updates (and is told to
/// reload), never the service's memory or another page's updates.
/// </summary>
internal sealed class DeviceFeed(IOptions<ConsoleOptions> options)
{
    private readonly ConcurrentDictionary<(string Fleet, string Device), HealthSummary> _health = new();
    private readonly ConcurrentDictionary<(string Fleet, string Device), ApiTriggerSetAck> _acks = new();
    private readonly ConcurrentDictionary<(string Fleet, string Device), ConsoleDevice> _latest = new();
    private readonly ConcurrentDictionary<(string Fleet, string Device), DeviceModels> _models = new();
    private readonly ConcurrentDictionary<(string Fleet, string Device), IReadOnlyList<string>> _signals = new();
    private readonly ConcurrentDictionary<(string Fleet, string Device), IReadOnlyList<string>> _groups = new();
    private readonly ConcurrentDictionary<DeviceFeedSubscription, byte> _subscribers = new();
    private readonly ConsoleOptions _options = options.Value;

    /// <summary>Open live-update streams (a closed page's stream is gone once its request ended).</summary>
    public int SubscriberCount => _subscribers.Count;

    /// <summary>The latest health <paramref name="device"/> reported since start; null when none.</summary>
    public HealthSummary? HealthOf(string fleet, string device) => _health.GetValueOrDefault((fleet, device));

    /// <summary>The signals (<c>name:kind</c>) <paramref name="device"/> last announced in its status; null when none since start.</summary>
    public IReadOnlyList<string>? SignalsOf(string fleet, string device) => _signals.GetValueOrDefault((fleet, device));

    /// <summary>The groups <paramref name="device"/> last announced in its status; empty when none since start.</summary>
    public IReadOnlyList<string> GroupsOf(string fleet, string device) => _groups.GetValueOrDefault((fleet, device)) ?? [];

    /// <summary>Every device that announced its signals, by fleet then device.</summary>
    public IEnumerable<(string Fleet, string Device, IReadOnlyList<string> Signals)> AnnouncedSignals() =>
        _signals.Select(s => (s.Key.Fleet, s.Key.Device, s.Value)).OrderBy(s => s.Fleet, StringComparer.Ordinal).ThenBy(s => s.Device, StringComparer.Ordinal);

    /// <summary>A status the catalog applied, received at <paramref name="receivedAt"/>: kept and sent to every page.</summary>
    public void Publish(DeviceStatus status, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Signals is { Count: > 0 } signals)
        {
            _signals[(status.Fleet, status.Device)] = signals;
        }

        if (status.Groups is { } groups)
        {
            _groups[(status.Fleet, status.Device)] = groups;
        }

        if (status.Health is { } health)
        {
            _health[(status.Fleet, status.Device)] = health;
        }

        // A Last Will carries no health and no trigger set: the page keeps what it showed for those.
        var update = new ConsoleDevice(
            status.Fleet, status.Device, status.State, status.Detail, status.TriggerSetVersion, status.At, receivedAt, receivedAt,
            HealthOf(status.Fleet, status.Device))
        {
            TriggerSetAck = _acks.GetValueOrDefault((status.Fleet, status.Device)),
            Models = ModelsOf(status.Fleet, status.Device),
            Groups = GroupsOf(status.Fleet, status.Device),
        };
        _latest[(status.Fleet, status.Device)] = update;
        Offer(update);
    }

    /// <summary>
    /// A trigger-set ack the catalog applied: sent to every page as the device's last update with the
    /// new ack (an ack from a device whose status this service has not seen yet reaches pages on reload).
    /// </summary>
    public void PublishAck(string fleet, string device, CatalogTriggerSetAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var key = (fleet, device);
        _acks[key] = ack.ToApi();
        if (_latest.TryGetValue(key, out var held))
        {
            var update = held with { TriggerSetAck = _acks[key] };
            _latest[key] = update;
            Offer(update);
        }
    }

    /// <summary>
    /// A model release ack the catalog applied: when it is the device's newest for that model, sent to
    /// every page as the device's last update with its models (as <see cref="PublishAck"/>).
    /// </summary>
    public void PublishModel(CatalogModelRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var key = (release.Fleet, release.Device);
        var models = _models.GetOrAdd(key, _ => new DeviceModels());
        if (!models.Offer(release))
        {
            return;
        }

        if (_latest.TryGetValue(key, out var held))
        {
            var update = held with { Models = models.Snapshot() };
            _latest[key] = update;
            Offer(update);
        }
    }

    private IReadOnlyList<ApiDeviceModel> ModelsOf(string fleet, string device) =>
        _models.TryGetValue((fleet, device), out var models) ? models.Snapshot() : [];

    private void Offer(ConsoleDevice update)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Offer(update);
        }
    }

    /// <summary>A new stream's queue; null when <see cref="ConsoleOptions.MaxClients"/> streams are open.</summary>
    public DeviceFeedSubscription? Subscribe()
    {
        if (_subscribers.Count >= _options.MaxClients)
        {
            return null;
        }

        var subscription = new DeviceFeedSubscription(this, _options.ClientQueueCapacity);
        _subscribers[subscription] = 0;
        return subscription;
    }

    internal void Remove(DeviceFeedSubscription subscription) => _subscribers.TryRemove(subscription, out _);
}

/// <summary>One page's queue of updates; dispose it when the page's request ends.</summary>
internal sealed class DeviceFeedSubscription : IDisposable
{
    private readonly DeviceFeed _feed;
    private readonly Channel<ConsoleDevice> _queue;
    private int _dropped;

    public DeviceFeedSubscription(DeviceFeed feed, int capacity)
    {
        _feed = feed;
        _queue = Channel.CreateBounded<ConsoleDevice>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Exchange(ref _dropped, 1));
    }

    public ChannelReader<ConsoleDevice> Reader => _queue.Reader;

    /// <summary>True once since the last call when updates were dropped: the page must reload the list.</summary>
    public bool TakeDropped() => Interlocked.Exchange(ref _dropped, 0) == 1;

    public void Offer(ConsoleDevice update) => _queue.Writer.TryWrite(update);

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _feed.Remove(this);
    }
}
