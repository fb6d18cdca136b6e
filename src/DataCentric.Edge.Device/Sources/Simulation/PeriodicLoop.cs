namespace DataCentric.Edge.Device.Sources.Simulation;

/// <summary>Runs an action at a fixed period on the injected clock until cancelled.</summary>
internal static class PeriodicLoop
{
    public static async Task RunAsync(TimeSpan period, TimeProvider timeProvider, Action tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, timeProvider);
        try
        {
            do
            {
                tick();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }
}
