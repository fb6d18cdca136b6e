using System.Diagnostics;
using System.Globalization;

namespace DataCentric.Edge.Cli.Commands.Backtest;

/// <summary>
/// Progress of a model replay: a bar redrawn in place on a terminal, plain lines (every 10 %) when
/// the output is redirected, so logs never receive carriage returns.
/// </summary>
internal sealed class ReplayProgress(TextWriter writer, bool interactive, string label)
{
    private const int BarWidth = 30;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private long _total;
    private long _started;
    private long _lastDraw;
    private int _lastTenth;

    /// <summary>Interactive only when writing to the console's own stderr and that is a terminal.</summary>
    public static ReplayProgress For(TextWriter writer, string label) =>
        new(writer, ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected, label);

    public void Start(long total)
    {
        _total = Math.Max(1, total);
        _started = Stopwatch.GetTimestamp();
        _lastDraw = 0;
        _lastTenth = 0;
    }

    public void Advance(long done)
    {
        if (interactive)
        {
            var now = Stopwatch.GetTimestamp();
            if (_lastDraw != 0 && Stopwatch.GetElapsedTime(_lastDraw, now) < RedrawInterval && done < _total)
            {
                return;
            }

            _lastDraw = now;
            var filled = (int)(BarWidth * done / _total);
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{label} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {100.0 * done / _total,3:0}% {done}/{_total} frames, {Rate(done):0} frames/s"));
            return;
        }

        var tenth = (int)(10 * done / _total);
        if (tenth > _lastTenth)
        {
            _lastTenth = tenth;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {done}/{_total} frames ({tenth * 10}%), {Rate(done):0} frames/s"));
        }
    }

    public void Finish()
    {
        if (interactive)
        {
            writer.WriteLine();
        }
    }

    private double Rate(long done) => done / Math.Max(Stopwatch.GetElapsedTime(_started).TotalSeconds, 1e-6);
}
