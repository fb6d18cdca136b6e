using System.Collections.Concurrent;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Agent.Tests.EndToEnd;

/// <summary>The whole agent in demo mode, in-process, on temp directories, with every received clip collected.</summary>
internal sealed class DemoAgent : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("dce-e2e");
    private readonly SemaphoreSlim _arrivals = new(0);

    public DemoAgent(params (string Key, string Value)[] overrides)
        : this(AgentMode.Demo, overrides)
    {
    }

    public DemoAgent(AgentMode mode, params (string Key, string Value)[] overrides)
        : this(mode, null, overrides)
    {
    }

    /// <summary>With a <c>--config</c> file applied over the defaults, and the overrides over both.</summary>
    public DemoAgent(AgentMode mode, string? configFile, params (string Key, string Value)[] overrides)
    {
        var output = mode == AgentMode.Record ? _dir.Combine("drive.mcap") : _dir.Combine("received");
        var commandLine = new AgentCommandLine(mode, TimeSpan.FromHours(1), output, configFile, _dir.Combine("data"), RecordDemo: mode == AgentMode.Record);
        var configuration = AgentHost.BuildConfiguration(commandLine, overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)));
        var errors = AgentConfiguration.Validate(configuration);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        Host = AgentHost.Build(commandLine, configuration, Output);
        Host.Services.GetRequiredService<ClipReceiver>().ClipReceived += clip =>
        {
            Received.Enqueue(clip);
            _arrivals.Release();
        };
    }

    public IHost Host { get; }

    public StringWriter Output { get; } = new();

    public ConcurrentQueue<ReceivedClip> Received { get; } = new();

    public AgentMetrics Metrics => Host.Services.GetRequiredService<AgentMetrics>();

    public string DataDirectory => _dir.Combine("data");

    public string DrivePath => _dir.Combine("drive.mcap");

    public async Task WaitForClipsAsync(int count, TimeSpan timeout)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _arrivals.WaitAsync(timeout, TestContext.Current.CancellationToken), $"only {i} of {count} clips arrived within {timeout}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        _arrivals.Dispose();
        await Output.DisposeAsync();
        _dir.Dispose();
    }
}
