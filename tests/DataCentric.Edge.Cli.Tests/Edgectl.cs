namespace DataCentric.Edge.Cli.Tests;

/// <summary>Runs edgectl in-process and keeps what it printed.</summary>
internal sealed class Edgectl
{
    public StringWriter Output { get; } = new();

    public StringWriter Error { get; } = new();

    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var run = new Edgectl();
        var exit = await run.StartAsync(args);
        return (exit, run.Output.ToString(), run.Error.ToString());
    }

    public Task<int> StartAsync(params string[] args) => Task.Run(() => EdgectlApp.RunAsync(args, TextWriter.Synchronized(Output), TextWriter.Synchronized(Error)));
}
