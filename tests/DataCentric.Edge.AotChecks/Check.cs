namespace DataCentric.Edge.AotChecks;

/// <summary>A check's expectation that did not hold.</summary>
internal sealed class CheckFailedException(string message) : Exception(message);

/// <summary>The few assertions the checks need (no test framework runs in the native binary).</summary>
internal static class Check
{
    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new CheckFailedException(what);
        }
    }

    public static void Near(double expected, double actual, double tolerance, string what) =>
        That(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected} ± {tolerance}, got {actual}");

    public static void Equal<T>(T expected, T actual, string what) =>
        That(EqualityComparer<T>.Default.Equals(expected, actual), $"{what}: expected {expected}, got {actual}");

    /// <summary>Polls a condition with a bounded deadline, for sources that give no signal of their own.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            That(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }
}
