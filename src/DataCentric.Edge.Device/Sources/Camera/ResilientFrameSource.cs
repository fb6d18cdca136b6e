using System.Runtime.CompilerServices;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Sources;
using DataCentric.Edge.Device.Sources.Sensors;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>
/// Keeps frames coming: when the camera disappears (or the process or file fails), the failure is
/// counted and logged by kind (rate-limited), shown on <see cref="SourceHealth"/>, and the source
/// is reopened after a doubling delay on the injected clock. A replay that simply ends
/// (<paramref name="finite"/>) stops instead. Sequence numbers continue across reopenings.
/// </summary>
public sealed class ResilientFrameSource(
    IFrameSource inner,
    bool finite,
    SourceHealth health,
    RetryBackoff backoff,
    BadInputCounter failures,
    TimeProvider timeProvider) : IFrameSource
{
    public string Name => inner.Name;

    public IFrameSource Inner => inner;

    public async IAsyncEnumerable<Frame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long sequence = 0;
        var restarts = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            Report(SourceState.Starting, null, restarts);
            var delivering = false;
            string failureKind = "ended";
            string failure = "the source ended";
            var enumerator = inner.ReadFramesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    var (hasFrame, error) = await MoveNextAsync(enumerator, cancellationToken).ConfigureAwait(false);
                    if (error is not null)
                    {
                        (failureKind, failure) = error is FrameSourceException f ? (f.Kind, f.Message) : ("failed", error.Message);
                        break;
                    }

                    if (!hasFrame)
                    {
                        break;
                    }

                    if (!delivering)
                    {
                        delivering = true;
                        backoff.Reset();
                        Report(SourceState.Running, null, restarts);
                    }

                    yield return enumerator.Current with { Sequence = sequence++ };
                }
            }
            finally
            {
                await DisposeQuietlyAsync(enumerator).ConfigureAwait(false);
            }

            if (cancellationToken.IsCancellationRequested || (finite && failureKind == "ended"))
            {
                break;
            }

            failures.Report(failureKind, failure);
            restarts++;
            Report(SourceState.Retrying, failure, restarts);
            if (!await DelayAsync(backoff.Next(), cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        Report(SourceState.Stopped, null, restarts);
    }

    private void Report(SourceState state, string? error, int restarts) =>
        health.Report(new SourceStatus(Name, state, error, restarts, timeProvider.GetUtcNow()));

    private static async ValueTask<(bool HasFrame, Exception? Error)> MoveNextAsync(IAsyncEnumerator<Frame> enumerator, CancellationToken cancellationToken)
    {
        try
        {
            return (await enumerator.MoveNextAsync().ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (false, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever a driver, a process or a file throws: reported and retried, never fatal.
            return (false, e);
        }
    }

    private static async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<Frame> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            // Closing a device that already vanished can fail; the failure was reported already.
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
