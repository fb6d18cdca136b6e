using System.Globalization;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// The bytes of model files requested per UTC day, kept in a small file so a restart does not
/// reset the day's count. Bytes count when a chunk is asked for (a chunk lost to a kill counts
/// once more when asked for again: the budget errs on the side of the device's data plan).
/// </summary>
public sealed class ModelDownloadBudget
{
    private const string FileName = "download-budget.tsv";
    private readonly string _path;
    private readonly long _bytesPerDay;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private DateOnly _day;
    private long _used;

    /// <param name="bytesPerDay">0: no limit.</param>
    public ModelDownloadBudget(string stateDirectory, long bytesPerDay, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerDay);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _path = Path.Combine(DirectorySync.CreateDurably(stateDirectory), FileName);
        _bytesPerDay = bytesPerDay;
        _timeProvider = timeProvider;
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
            Persist();
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
        }
    }

    private void Persist()
    {
        var temp = _path + ".tmp";
        File.WriteAllText(temp, string.Create(CultureInfo.InvariantCulture, $"{_day:yyyy-MM-dd}\t{_used}\n"));
        File.Move(temp, _path, overwrite: true);
    }
}
