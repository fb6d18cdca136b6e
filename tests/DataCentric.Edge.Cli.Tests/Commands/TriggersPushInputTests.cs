using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests.Commands;

/// <summary><c>triggers push</c> reads the envelope before it connects anywhere: a file that is not one is refused with its name and what is wrong.</summary>
[Trait("Category", "Unit")]
public sealed class TriggersPushInputTests
{
    [Theory]
    [InlineData("null", "the file holds JSON null")]
    [InlineData("{\"keyId\":\"k\",\"signature\":\"s\"}", "it has no 'payload'")]
    [InlineData("{\"keyId\":\"k\",\"payload\":\"bnVsbA==\",\"signature\":\"s\"}", "its payload is JSON null")]
    [InlineData("{\"keyId\":\"k\",\"payload\":\"%%%\",\"signature\":\"s\"}", "not a valid Base-64 string")]
    [InlineData("not json", "is an invalid JSON literal")]
    public async Task NotAnEnvelope_IsRefusedWithTheReason(string content, string reason)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "set.envelope.json");
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);

        var (exit, _, error) = await Edgectl.RunAsync("triggers", "push", path, "--broker", "127.0.0.1:1");

        Assert.NotEqual(0, exit);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.StartsWith($"edgectl: {path}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingEnvelope_IsNamed()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "absent.envelope.json");

        var (exit, _, error) = await Edgectl.RunAsync("triggers", "push", path, "--broker", "127.0.0.1:1");

        Assert.Equal(EdgectlApp.UsageError, exit);
        Assert.Contains($"{path}: no such file", error, StringComparison.Ordinal);
    }
}
