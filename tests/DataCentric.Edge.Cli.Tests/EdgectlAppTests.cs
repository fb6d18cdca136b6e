namespace DataCentric.Edge.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class EdgectlAppTests
{
    [Fact]
    public async Task Version_PrintsToolAndContractVersion()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await EdgectlApp.RunAsync(["version"], output, error);

        Assert.Equal(0, exit);
        Assert.Matches(@"^edgectl \d+\.\d+\.\d+ \(contract dce/v1\)", output.ToString());
    }

    [Fact]
    public async Task UnknownCommand_FailsAndSaysWhich()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await EdgectlApp.RunAsync(["fly"], output, error);

        Assert.NotEqual(0, exit);
        Assert.Contains("fly", error.ToString(), StringComparison.Ordinal);
    }
}
