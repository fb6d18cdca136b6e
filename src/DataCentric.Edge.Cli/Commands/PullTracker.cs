using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Receiver;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// What one pull waits for, and what has come: the clips the device named, plus the clips it cuts
/// from its recent buffer (known by their trigger and time, as their ids do not exist yet). Decides
/// for the receiver which uploads are this pull's, so nothing else lands in --out.
/// </summary>
internal sealed class PullTracker
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _named = new(StringComparer.Ordinal);
    private readonly List<TimeRange> _ringCuts = [];
    private readonly HashSet<string> _ringCutIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PulledClip> _arrived = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allIn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _decided;

    /// <summary>Completes once every named clip and a clip for every ring cut has arrived.</summary>
    public Task AllIn => _allIn.Task;

    /// <summary>The pull's clips: the named ones and the ring cuts. Until then, everything is undecided.</summary>
    public void Decide(IEnumerable<string> clipIds, IEnumerable<TimeRange> ringCuts)
    {
        lock (_lock)
        {
            _named.UnionWith(clipIds);
            _ringCuts.AddRange(ringCuts);
            _decided = true;
            CheckAllIn();
        }
    }

    /// <summary>For <see cref="ClipReceiver.Selection"/>.</summary>
    public ClipSelection Select(string clipId, ClipManifest? manifest)
    {
        lock (_lock)
        {
            if (manifest is not null && IsRingCut(manifest))
            {
                // Its chunks carry only the id: remember it.
                _ringCutIds.Add(clipId);
            }

            if (_named.Contains(clipId) || _ringCutIds.Contains(clipId))
            {
                return ClipSelection.Take;
            }

            return _decided ? ClipSelection.Ignore : ClipSelection.Undecided;
        }
    }

    /// <summary>A clip of this pull is whole in --out (just received, or held from before).</summary>
    public void Arrived(ReceivedClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        lock (_lock)
        {
            var fromRing = IsRingCut(clip.Manifest);
            if (!_named.Contains(clip.Manifest.ClipId) && !fromRing)
            {
                return;
            }

            _arrived[clip.Manifest.ClipId] = new PulledClip(clip, fromRing && !_named.Contains(clip.Manifest.ClipId));
            CheckAllIn();
        }
    }

    /// <summary>The pull's clips that arrived, oldest first.</summary>
    public IReadOnlyList<PulledClip> Pulled()
    {
        lock (_lock)
        {
            return [.. _arrived.Values.OrderBy(c => c.Clip.Manifest.StartWall)];
        }
    }

    /// <summary>What the pull waits for, in words.</summary>
    public string Wanted()
    {
        lock (_lock)
        {
            return Describe([.. _named], _ringCuts);
        }
    }

    /// <summary>What is still missing, in words.</summary>
    public string Missing()
    {
        lock (_lock)
        {
            return Describe([.. _named.Where(id => !_arrived.ContainsKey(id))], [.. _ringCuts.Where(r => !IsCutArrived(r))]);
        }
    }

    private static string Describe(List<string> clips, List<TimeRange> cuts)
    {
        var parts = new List<string>();
        if (clips.Count > 0)
        {
            parts.Add($"{clips.Count} stored clip(s) ({string.Join(", ", clips)})");
        }

        if (cuts.Count > 0)
        {
            parts.Add($"{cuts.Count} clip(s) cut from the recent buffer ({string.Join(", ", cuts.Select(r => $"{Table.Time(r.From)} to {Table.Time(r.To)}"))})");
        }

        return parts.Count == 0 ? "nothing" : string.Join(" and ", parts);
    }

    private bool IsRingCut(ClipManifest manifest) =>
        _ringCuts.Count > 0 && PullWindows.IsRingCutFor(manifest.TriggerIds, new TimeRange(manifest.StartWall, manifest.EndWall), _ringCuts);

    private bool IsCutArrived(TimeRange cut) =>
        _arrived.Values.Any(a => PullWindows.IsRingCutFor(a.Clip.Manifest.TriggerIds, new TimeRange(a.Clip.Manifest.StartWall, a.Clip.Manifest.EndWall), [cut]));

    private void CheckAllIn()
    {
        if (_decided && _named.All(_arrived.ContainsKey) && _ringCuts.All(IsCutArrived))
        {
            _allIn.TrySetResult();
        }
    }
}

/// <summary>One clip of a pull in --out, and whether the device cut it from its recent buffer for this pull.</summary>
internal sealed record PulledClip(ReceivedClip Clip, bool FromRecentBuffer);
