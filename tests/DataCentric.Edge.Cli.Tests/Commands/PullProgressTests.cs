using DataCentric.Edge.Cli.Commands;

namespace DataCentric.Edge.Cli.Tests.Commands;

/// <summary>The pull's progress: a redrawn bar on a terminal, plain bounded lines anywhere else.</summary>
[Trait("Category", "Unit")]
public sealed class PullProgressTests
{
    [Fact]
    public void NotATerminal_PlainLines_AtMostElevenPerClip_TheLastOneComplete()
    {
        using var writer = new StringWriter();
        var progress = new PullProgress(writer, interactive: false);

        for (var i = 0; i < 1000; i++)
        {
            progress.Chunk("c1", i, 1000);
        }

        progress.Finish();
        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain('\r', writer.ToString());
        Assert.InRange(lines.Length, 10, 11);
        Assert.Equal("c1: [##############################] 1000/1000 chunks", lines[^1]);
    }

    [Fact]
    public void Terminal_RedrawsInPlace_AlwaysDrawsTheEnd_AndFinishEndsTheLine()
    {
        using var writer = new StringWriter();
        var progress = new PullProgress(writer, interactive: true);

        for (var i = 0; i < 1000; i++)
        {
            progress.Chunk("c1", i, 1000);
        }

        progress.Finish();
        var text = writer.ToString();
        Assert.StartsWith("\rc1: [", text, StringComparison.Ordinal);
        Assert.EndsWith("\rc1: [##############################] 1000/1000 chunks " + Environment.NewLine, text, StringComparison.Ordinal);
        Assert.True(text.Count(c => c == '\r') < 1000, "redraws are rate-bounded");
    }
}
