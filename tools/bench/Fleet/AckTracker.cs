using System.Collections.Concurrent;
using System.Diagnostics;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>
/// Counts the receivers' ClipAcks for one set of clips: each clip once, and only a <c>complete</c>
/// ack carrying the hash the device sent. Done when every clip is acknowledged; fails when no ack
/// arrives for a whole timeout after the last publish or ack (a stall, not a slow receiver).
/// </summary>
internal sealed class AckTracker
{
    private readonly ConcurrentDictionary<string, string> _expected;
    private readonly ConcurrentDictionary<string, byte> _acknowledged = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastProgress = Stopwatch.GetTimestamp();
    private int _mismatches;
    private int _unexpected;

    public AckTracker(IEnumerable<BenchClip> clips)
    {
        _expected = new(clips.Select(c => KeyValuePair.Create(c.ClipId, c.Sha256)), StringComparer.Ordinal);
        if (_expected.IsEmpty)
        {
            _all.SetResult();
        }
    }

    public int Expected => _expected.Count;

    public int Acknowledged => _acknowledged.Count;

    /// <summary>Acks saying <c>hashMismatch</c>, or <c>complete</c> with another hash.</summary>
    public int Mismatches => Volatile.Read(ref _mismatches);

    /// <summary>Acks for clips not in this set (late acks of an earlier run, or a stray).</summary>
    public int Unexpected => Volatile.Read(ref _unexpected);

    /// <summary>When the last clip was acknowledged (Stopwatch timestamp); valid once <see cref="WaitAsync"/> returned true.</summary>
    public long LastAckTimestamp { get; private set; }

    public void OnAck(ClipAck? ack)
    {
        if (ack is null || !_expected.TryGetValue(ack.ClipId, out var sha))
        {
            Interlocked.Increment(ref _unexpected);
            return;
        }

        if (ack.Status != ClipAckStatus.Complete || !string.Equals(ack.Sha256, sha, StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _mismatches);
            return;
        }

        if (_acknowledged.TryAdd(ack.ClipId, 0))
        {
            var now = Stopwatch.GetTimestamp();
            Volatile.Write(ref _lastProgress, now);
            if (_acknowledged.Count == _expected.Count)
            {
                LastAckTimestamp = now;
                _all.TrySetResult();
            }
        }
    }

    /// <summary>Marks progress that is not an ack (the devices finished publishing), so the stall clock starts there.</summary>
    public void Touch() => Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());

    /// <summary>True when every clip was acknowledged; false after <paramref name="stall"/> without a new ack.</summary>
    public async Task<bool> WaitAsync(TimeSpan stall, CancellationToken cancellationToken)
    {
        while (!_all.Task.IsCompleted)
        {
            var quiet = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastProgress));
            if (quiet >= stall)
            {
                return false;
            }

            try
            {
                await _all.Task.WaitAsync(stall - quiet, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Check whether an ack came meanwhile; the loop decides.
            }
        }

        return true;
    }
}
