using DataCentric.Edge.Cli.Commands.Backtest;

namespace DataCentric.Edge.Cli.Tests.Drives;

[Trait("Category", "Unit")]
public sealed class ReplayProgressTests
{
    [Fact]
    public void OnATerminal_OneBarIsRedrawnInPlace_AndEndsTheLine()
    {
        var output = new StringWriter();
        var progress = new ReplayProgress(output, interactive: true, "d.mcap");

        progress.Start(4);
        progress.Advance(1);
        progress.Advance(4);
        progress.Finish();

        var text = output.ToString();
        Assert.StartsWith("\rd.mcap [#######-----------------------]  25% 1/4 frames", text, StringComparison.Ordinal);
        Assert.Contains("\rd.mcap [##############################] 100% 4/4 frames", text, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Redirected_PrintsAPlainLineEveryTenth_WithoutCarriageReturns()
    {
        var output = new StringWriter();
        var progress = new ReplayProgress(output, interactive: false, "d.mcap");

        progress.Start(200);
        for (var i = 1; i <= 200; i++)
        {
            progress.Advance(i);
        }

        progress.Finish();

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(1, 10).Select(t => $"d.mcap: {t * 20}/200 frames ({t * 10}%)"), lines.Select(l => l.Split(',')[0]));
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void ForAWriterOtherThanTheConsole_IsNeverABar()
    {
        var output = new StringWriter();
        var progress = ReplayProgress.For(output, "d.mcap");

        progress.Start(1);
        progress.Advance(1);

        Assert.DoesNotContain('\r', output.ToString());
    }
}
