using System.Diagnostics;
using System.Globalization;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>
/// <c>mosquitto_sub -q 1</c> on every clip topic, output to /dev/null, exiting after the run's
/// message count (<c>-C</c>): the broker's delivery ceiling to one subscriber that does nothing
/// with the bytes. Started through <c>sh -c 'exec …'</c> so the process is mosquitto_sub itself.
/// </summary>
internal sealed class BaselineSubscriber : IDisposable
{
    public const string ClientId = "bench-baseline";
    public const string Filter = "dce/v1/+/+/clips/+/#";
    private readonly Process _process;

    private BaselineSubscriber(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static BaselineSubscriber Start(BenchOptions options, int messages)
    {
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (var argument in (string[])[
            "-c", "exec \"$@\" > /dev/null", "sh",
            "mosquitto_sub", "-h", options.BrokerHost, "-p", options.BrokerPort.ToString(CultureInfo.InvariantCulture),
            "-V", "mqttv5", "-q", "1", "-i", ClientId, "-t", Filter, "-C", messages.ToString(CultureInfo.InvariantCulture),
        ])
        {
            start.ArgumentList.Add(argument);
        }

        return new BaselineSubscriber(Process.Start(start) ?? throw new InvalidOperationException("mosquitto_sub did not start"));
    }

    /// <summary>True once mosquitto_sub has received every message and exited; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAllAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
