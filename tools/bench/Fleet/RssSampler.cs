using System.Diagnostics;
using System.Globalization;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>One reading of a process's resident memory (VmRSS) during a run.</summary>
internal sealed record RssSample(string Process, int Pid, double ElapsedSeconds, long RssKiB);

/// <summary>
/// Reads VmRSS from /proc/{pid}/status of each watched process once a second until disposed, so
/// a reader can see whether a receiver's memory stays flat over a run or grows with the bytes.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly IReadOnlyList<(string Name, int Pid)> _processes;
    private readonly List<RssSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Task _loop;

    public RssSampler(IReadOnlyList<(string Name, int Pid)> processes)
    {
        _processes = processes;
        Sample();
        _loop = RunAsync();
    }

    /// <summary>The samples so far, in time order (a final one is taken on dispose).</summary>
    public IReadOnlyList<RssSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Stops sampling after a last reading; safe to call again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Sample();
        _stop.Dispose();
    }

    /// <summary>VmRSS in KiB; null when the process is gone.</summary>
    public static long? ReadRssKiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Exited between the listing and the read.
        }

        return null;
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            Sample();
        }
    }

    private void Sample()
    {
        var elapsed = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        foreach (var (name, pid) in _processes)
        {
            if (ReadRssKiB(pid) is { } rss)
            {
                lock (_samples)
                {
                    _samples.Add(new RssSample(name, pid, elapsed, rss));
                }
            }
        }
    }
}
