using DataCentric.Edge.Cli;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>edgectl's command tree run in-process, as a fleet manager runs it; returns what it printed.</summary>
internal static class Edgectl
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(IEnumerable<string> args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Task.Run(() => EdgectlApp.RunAsync([.. args], TextWriter.Synchronized(output), TextWriter.Synchronized(error)));
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs it and asserts exit code 0; returns its standard output.</summary>
    public static async Task<string> RunOkAsync(IEnumerable<string> args)
    {
        string[] line = [.. args];
        var (exit, output, error) = await RunAsync(line);
        Assert.True(exit == 0, $"edgectl {string.Join(' ', line)} exited {exit}:\n{output}{error}");
        return output;
    }
}
