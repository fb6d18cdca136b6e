namespace DataCentric.Edge.Uplink.Tests;

/// <summary>Waiting helpers: await a signal with a timeout; poll only state that raises no signal.</summary>
internal static class Waits
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        while (!await condition())
        {
            try
            {
                // Polls state another thread updates (the catalog, the broker's clients); bounded by the timeout.
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"timed out waiting until {what}");
            }
        }
    }
}
