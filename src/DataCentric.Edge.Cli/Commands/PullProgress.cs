using System.Diagnostics;
using System.Globalization;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// The chunk progress of a pull. On a terminal one bar is redrawn in place (<c>\r</c>, at most ten times a second);
/// when the output is a file or a pipe (logs, CI) it prints plain lines instead, one per tenth of
/// a clip at most, so a log gets at most 11 lines per clip and no control characters.
/// </summary>
internal sealed class PullProgress(TextWriter writer, bool interactive)
{
    private const int BarWidth = 30;
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<string, int> _lastTenth = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _barOpen;
    private long _lastDraw;

    /// <summary>Whether <paramref name="writer"/> is the console's and neither stdout nor stderr is redirected.</summary>
    public static bool IsInteractive(TextWriter writer) =>
        ReferenceEquals(writer, Console.Error) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    public void Chunk(string clipId, int index, int count)
    {
        var done = index + 1;
        var line = string.Create(CultureInfo.InvariantCulture, $"{clipId}: {Bar(done, count)} {done}/{count} chunks");
        lock (_lock)
        {
            if (interactive)
            {
                // A fast link brings thousands of chunks a second: redraw at most every RedrawEvery, and at the end.
                var now = Stopwatch.GetTimestamp();
                if (done < count && Stopwatch.GetElapsedTime(_lastDraw, now) < RedrawEvery)
                {
                    return;
                }

                _lastDraw = now;
                writer.Write($"\r{line} ");
                _barOpen = true;
                return;
            }

            var tenth = count == 0 ? 10 : done * 10 / count;
            if (_lastTenth.TryGetValue(clipId, out var last) && last >= tenth)
            {
                return;
            }

            _lastTenth[clipId] = tenth;
            writer.WriteLine(line);
        }
    }

    /// <summary>Ends the bar line on a terminal, so what follows starts on its own line.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_barOpen)
            {
                writer.WriteLine();
                _barOpen = false;
            }
        }
    }

    private static string Bar(int done, int total)
    {
        var filled = total == 0 ? BarWidth : Math.Min(BarWidth, done * BarWidth / total);
        return "[" + new string('#', filled) + new string('.', BarWidth - filled) + "]";
    }
}
