using DataCentric.Edge.FleetService.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Tests.Tracking;

[Trait("Category", "Unit")]
public sealed class TrackerOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new TrackerOptionsValidator().Validate(null, new TrackerOptions()).Succeeded);
    }

    [Fact]
    public void BadSection_ReportsEveryProblem_WithItsKey()
    {
        var result = new TrackerOptionsValidator().Validate(null, new TrackerOptions
        {
            ClientId = " ",
            SharedGroup = "a/b",
            CheckInterval = TimeSpan.Zero,
            Broker = new() { Host = "", Port = 0 },
        });

        Assert.True(result.Failed);
        Assert.Equal(
            ["Tracker:ClientId", "Tracker:SharedGroup", "Tracker:CheckInterval", "Tracker:Broker:Host", "Tracker:Broker:Port"],
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void Section_BindsNestedBrokerSettings_AndRefusesUnknownKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tracker:ClientId"] = "trk-a",
            ["Tracker:SharedGroup"] = "fleet",
            ["Tracker:Broker:Host"] = "broker.local",
            ["Tracker:Broker:Port"] = "8883",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddDeviceTracker(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<TrackerOptions>>().Value;
        Assert.Equal(("trk-a", "fleet", "broker.local", 8883), (options.ClientId, options.SharedGroup, options.Broker.Host, options.Broker.Port));

        var unknown = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tracker:Group"] = "x" }).Build();
        Assert.Throws<InvalidOperationException>(() => TrackerServiceCollectionExtensions.Section.Get(unknown));
    }
}
