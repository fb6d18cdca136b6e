using DataCentric.Edge.FleetService.Receiving;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.FleetService.Tests.Receiving;

[Trait("Category", "Unit")]
public sealed class ReceiverOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new ReceiverOptionsValidator().Validate(null, new ReceiverOptions()).Succeeded);
    }

    [Fact]
    public void BadSection_ReportsEveryProblem_WithItsKey()
    {
        var result = new ReceiverOptionsValidator().Validate(null, new ReceiverOptions
        {
            ClientId = "",
            SharedGroup = "#",
            ReceiveMaximum = 8,
            ConcurrentStaging = 9,
            MaxChunkBytes = 10,
            LeaseDuration = TimeSpan.FromMinutes(5),
            SweepInterval = TimeSpan.Zero,
            AbandonAfter = TimeSpan.FromMinutes(5),
            AssemblyConcurrency = 0,
            AssemblyQueueLength = 0,
            Broker = new() { Port = 70000 },
        });

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Receiver:ClientId", "Receiver:SharedGroup", "Receiver:Broker:Port", "Receiver:MaxChunkBytes", "Receiver:ConcurrentStaging",
                "Receiver:SweepInterval", "Receiver:AbandonAfter", "Receiver:AssemblyConcurrency", "Receiver:AssemblyQueueLength",
            ],
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void Section_BindsEveryKey_AndRefusesUnknownOnes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Receiver:ClientId"] = "rcv-a",
            ["Receiver:ConcurrentStaging"] = "4",
            ["Receiver:LeaseDuration"] = "00:00:30",
            ["Receiver:Broker:Port"] = "8883",
        }).Build();

        var options = ReceiverServiceCollectionExtensions.Section.Get(configuration);

        Assert.Equal(("rcv-a", 4, TimeSpan.FromSeconds(30), 8883), (options.ClientId, options.ConcurrentStaging, options.LeaseDuration, options.Broker.Port));
        var unknown = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Receiver:Group"] = "x" }).Build();
        Assert.Throws<InvalidOperationException>(() => ReceiverServiceCollectionExtensions.Section.Get(unknown));
    }
}
