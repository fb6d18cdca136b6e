using System.Diagnostics;

namespace DataCentric.Edge.Uplink.Tests.Connection;

/// <summary>
/// When each clip's receiver acknowledgement reached the device (the uploader's Acknowledged
/// event), so a test can await "the next ack after this moment" as a signal, with a deadline.
/// </summary>
internal sealed class AckClock
{
    private readonly List<(string ClipId, long Timestamp)> _acks = [];
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Record(string clipId)
    {
        TaskCompletionSource reached;
        lock (_acks)
        {
            _acks.Add((clipId, Stopwatch.GetTimestamp()));
            reached = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        reached.TrySetResult();
    }

    public int Count(string clipId)
    {
        lock (_acks)
        {
            return _acks.Count(a => a.ClipId == clipId);
        }
    }

    /// <summary>The time from <paramref name="since"/> (a <see cref="Stopwatch"/> timestamp) to the first ack after it.</summary>
    public async Task<TimeSpan> NextAfterAsync(long since, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        while (true)
        {
            Task next;
            lock (_acks)
            {
                if (_acks.FirstOrDefault(a => a.Timestamp >= since) is { ClipId: not null } ack)
                {
                    return Stopwatch.GetElapsedTime(since, ack.Timestamp);
                }

                next = _next.Task;
            }

            try
            {
                await next.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"no clip was acknowledged within {deadline.TotalSeconds} s");
            }
        }
    }
}
