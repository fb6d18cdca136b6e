using System.Globalization;
using System.Text;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// The bytes of model files requested per UTC day, kept in a small file so a restart does not
/// reset the day's count. Bytes count when a chunk is asked for (a chunk lost to a kill counts
/// once more when asked for again: the budget errs on the side of the device's data plan).
/// The file is written ahead of use, durably: it holds the count rounded up to the next reserve step
/// and is rewritten (fsynced, renamed, folder synced) only when the count passes it, so a power loss
/// can only overcount, by less than one step, at one fsync per step rather than per chunk.
/// </summary>
public sealed class ModelDownloadBudget
{
    private const string FileName = "download-budget.tsv";

    /// <summary>The most a power loss may overcount: 4 MiB, or a sixteenth of a smaller budget.</summary>
    private const long MaxReserveStep = 4 * 1024 * 1024;
    private readonly string _path;
    private readonly long _bytesPerDay;
    private readonly TimeProvider _timeProvider;
    private readonly long _reserveStep;
    private readonly Lock _lock = new();
    private DateOnly _day;
    private long _used;

    /// <summary>What the file says for <see cref="_day"/>: never less than <see cref="_used"/>.</summary>
    private long _persisted;

    /// <param name="bytesPerDay">0: no limit.</param>
    public ModelDownloadBudget(string stateDirectory, long bytesPerDay, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerDay);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _path = Path.Combine(DirectorySync.CreateDurably(stateDirectory), FileName);
        _bytesPerDay = bytesPerDay;
        _timeProvider = timeProvider;
        _reserveStep = bytesPerDay > 0 ? Math.Clamp(bytesPerDay / 16, 1, MaxReserveStep) : MaxReserveStep;
        _day = Today();
        if (File.Exists(_path))
        {
            // "yyyy-MM-dd<tab>bytes"; anything else is a damaged file: count the day as spent rather than free.
            var text = File.ReadAllText(_path).Trim();
            var tab = text.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0 && DateOnly.TryParseExact(text[..tab], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                && long.TryParse(text.AsSpan(tab + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var used))
            {
                (_day, _used) = day == _day ? (day, used) : (_day, 0);
            }
            else
            {
                _used = bytesPerDay;
            }

            _persisted = _used;
        }
    }

    public long BytesPerDay => _bytesPerDay;

    /// <summary>Bytes requested so far today (UTC).</summary>
    public long UsedToday
    {
        get
        {
            lock (_lock)
            {
                Roll();
                return _used;
            }
        }
    }

    /// <summary>Takes <paramref name="bytes"/> from today's budget; false (nothing taken) when they do not fit.</summary>
    public bool TryTake(long bytes)
    {
        lock (_lock)
        {
            Roll();
            if (_bytesPerDay > 0 && _used + bytes > _bytesPerDay)
            {
                return false;
            }

            _used += bytes;
            if (_used > _persisted)
            {
                Persist();
            }

            return true;
        }
    }

    /// <summary>When the budget is next renewed: the start of the next UTC day.</summary>
    public DateTimeOffset NextDay
    {
        get
        {
            lock (_lock)
            {
                Roll();
                return new DateTimeOffset(_day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime);

    private void Roll()
    {
        var today = Today();
        if (today != _day)
        {
            _day = today;
            _used = 0;
            _persisted = 0;
        }
    }

    private void Persist()
    {
        var reserved = (_used / _reserveStep + 1) * _reserveStep;
        if (_bytesPerDay > 0)
        {
            reserved = Math.Max(_used, Math.Min(reserved, _bytesPerDay));
        }

        var temp = _path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{_day:yyyy-MM-dd}\t{reserved}\n")));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
        DirectorySync.Sync(Path.GetDirectoryName(_path)!);
        _persisted = reserved;
    }
}
