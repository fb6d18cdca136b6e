using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Models;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>
/// The day's download count on a real disk: written ahead of use, so what a restart (or a power loss,
/// which can only keep the last written file) reads is never less than what was asked for.
/// </summary>
public sealed class ModelDownloadBudgetTests : IDisposable
{
    private const long Chunk = 128 * 1024;
    private const long Mib = 1024 * 1024;
    private readonly TempDirectory _dir = new("dce-budget");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));

    private string FilePath => _dir.Combine("download-budget.tsv");

    [Fact]
    public void WithoutALimit_TheFileReservesFourMiBAhead_AndIsRewrittenOnlyWhenTheCountPassesIt()
    {
        var budget = new ModelDownloadBudget(_dir.Path, 0, _time);
        Assert.True(budget.TryTake(Chunk));
        Assert.Equal(4 * Mib, Persisted());

        for (var i = 1; i < 32; i++)
        {
            Assert.True(budget.TryTake(Chunk));
        }

        Assert.Equal((4 * Mib, 4 * Mib), (budget.UsedToday, Persisted()));
        Assert.True(budget.TryTake(Chunk));
        Assert.Equal(8 * Mib, Persisted());
        Assert.False(File.Exists(FilePath + ".tmp"));
    }

    [Fact]
    public void ARestart_ReadsNoLessThanWasTaken_AndAtMostASixteenthOfTheBudgetMore()
    {
        const long Budget = 20 * Chunk;
        var before = new ModelDownloadBudget(_dir.Path, Budget, _time);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(before.TryTake(Chunk));
        }

        var after = new ModelDownloadBudget(_dir.Path, Budget, _time);
        Assert.InRange(after.UsedToday, 3 * Chunk, (3 * Chunk) + (Budget / 16));
        Assert.Equal(Budget - after.UsedToday >= Chunk, after.TryTake(Chunk));
    }

    [Fact]
    public void TheReservationNeverExceedsTheBudget_AndAFullDayRefusesUntilTheNextUtcDay()
    {
        const long Budget = Mib;
        var budget = new ModelDownloadBudget(_dir.Path, Budget, _time);
        for (var i = 0; i < 8; i++)
        {
            Assert.True(budget.TryTake(Chunk));
        }

        Assert.Equal(Budget, Persisted());
        Assert.False(budget.TryTake(1));
        Assert.False(new ModelDownloadBudget(_dir.Path, Budget, _time).TryTake(1));

        _time.Advance(TimeSpan.FromHours(15));
        var nextDay = new ModelDownloadBudget(_dir.Path, Budget, _time);
        Assert.Equal(0, nextDay.UsedToday);
        Assert.True(nextDay.TryTake(Chunk));
        Assert.Equal("2026-12-07", File.ReadAllText(FilePath).Split('\t')[0]);
    }

    [Fact]
    public void ADamagedFile_CountsTheDayAsSpent()
    {
        File.WriteAllText(FilePath, "2026-12-06 garbage");
        var budget = new ModelDownloadBudget(_dir.Path, 10 * Mib, _time);
        Assert.Equal(10 * Mib, budget.UsedToday);
        Assert.False(budget.TryTake(Chunk));
    }

    private long Persisted() => long.Parse(File.ReadAllText(FilePath).Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _dir.Dispose();
}
