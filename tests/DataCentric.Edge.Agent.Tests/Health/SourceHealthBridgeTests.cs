using DataCentric.Edge.Agent.Health;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Sources.Sensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.Agent.Tests.Health;

[Trait("Category", "Unit")]
public sealed class SourceHealthBridgeTests
{
    [Fact]
    public async Task ARetryingCamera_IsAFaultedComponent_UntilItRunsAgain()
    {
        var sources = new SourceHealth();
        var registry = new ComponentHealthRegistry(new FakeTimeProvider(), NullLogger<ComponentHealthRegistry>.Instance);
        var bridge = new SourceHealthBridge(sources, registry);
        await bridge.StartAsync(TestContext.Current.CancellationToken);

        sources.Report(new SourceStatus("/dev/video0", SourceState.Retrying, "V4L2 camera /dev/video0 does not exist", 3, DateTimeOffset.UnixEpoch));
        var faulted = Assert.Single(registry.Current);
        Assert.Equal(ComponentState.Faulted, faulted.State);
        Assert.Equal("source:/dev/video0", faulted.Component);
        Assert.Contains("does not exist", faulted.Detail, StringComparison.Ordinal);
        Assert.Contains("3 times", faulted.Detail, StringComparison.Ordinal);

        sources.Report(new SourceStatus("/dev/video0", SourceState.Running, null, 3, DateTimeOffset.UnixEpoch));
        Assert.Equal(ComponentState.Ok, Assert.Single(registry.Current).State);

        await bridge.StopAsync(TestContext.Current.CancellationToken);
        sources.Report(new SourceStatus("/dev/video0", SourceState.Retrying, "gone", 4, DateTimeOffset.UnixEpoch));
        Assert.Equal(ComponentState.Ok, Assert.Single(registry.Current).State);
    }
}
