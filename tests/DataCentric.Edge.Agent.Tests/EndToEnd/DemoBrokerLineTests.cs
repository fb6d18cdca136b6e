using System.Globalization;
using System.Text.RegularExpressions;
using DataCentric.Edge.Agent.Demo;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.Uplink.Broker;

namespace DataCentric.Edge.Agent.Tests.EndToEnd;

/// <summary>The demo's broker port is random: the demo prints it, with an edgectl line that reaches it.</summary>
[Trait("Category", "Integration")]
public sealed partial class DemoBrokerLineTests
{
    [Fact]
    public async Task Demo_PrintsItsBrokersAddress_AndThePrintedAddressReachesTheDevice()
    {
        await using var agent = new DemoAgent();
        await agent.Host.StartAsync(TestContext.Current.CancellationToken);

        // A clip received means the device's session is up and listening for commands.
        await agent.WaitForClipsAsync(1, TimeSpan.FromSeconds(30));

        // Printed once the broker listens, which is before the host has started.
        var printed = EdgectlLine().Match(agent.Output.ToString());
        Assert.True(printed.Success, agent.Output.ToString());
        var device = BrokerLine().Match(agent.Output.ToString());
        Assert.Equal(printed.Groups["port"].Value, device.Groups["port"].Value);

        await using var client = new FleetClient(new UplinkOptions(), new BrokerEndpoint("127.0.0.1", int.Parse(printed.Groups["port"].Value, CultureInfo.InvariantCulture)));
        await client.ConnectAsync(TestContext.Current.CancellationToken);
        var reply = await client.SendAsync(
            printed.Groups["fleet"].Value, device.Groups["device"].Value, new CommandRequest(CommandNames.Ping), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(reply.Ok, reply.Error);
        Assert.Equal("device-1", reply.Device);
    }

    [Fact]
    public void Console_WritesTheBrokerAndOneEdgectlLine()
    {
        using var output = new StringWriter();
        var console = new DemoConsole(output, new Agent.Pipeline.PipelineEvents());

        console.OnBrokerStarted("127.0.0.1", 41883, new FleetTopics("demo", "device-1"));

        Assert.Equal(
            ["broker   127.0.0.1:41883  (in this process, until the demo stops)  fleet demo  device device-1", "try      edgectl devices --broker 127.0.0.1:41883 --fleet demo"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [GeneratedRegex(@"broker   127\.0\.0\.1:(?<port>\d+)  \(in this process, until the demo stops\)  fleet \S+  device (?<device>\S+)")]
    private static partial Regex BrokerLine();

    [GeneratedRegex(@"try      edgectl devices --broker 127\.0\.0\.1:(?<port>\d+) --fleet (?<fleet>\S+)")]
    private static partial Regex EdgectlLine();
}
