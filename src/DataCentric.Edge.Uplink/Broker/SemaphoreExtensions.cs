namespace DataCentric.Edge.Uplink.Broker;

internal static class SemaphoreExtensions
{
    /// <summary>Waits for a release or for <paramref name="timeout"/> on the injected clock, whichever comes first.</summary>
    public static async Task WaitAsync(this SemaphoreSlim semaphore, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var delay = timeProvider.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), timer, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            await semaphore.WaitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: a periodic look.
        }
    }
}
