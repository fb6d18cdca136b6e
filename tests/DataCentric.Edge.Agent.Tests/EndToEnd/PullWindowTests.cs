using System.Text.Json;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Tests.EndToEnd;

/// <summary>
/// An engineer asks for more around an event than its clip holds: the device cuts the rest from
/// its recorder's ring and uploads it, through the whole agent.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PullWindowTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PullWindow_BeyondTheStoredClip_IsCutFromTheRecentBuffer_AndArrives()
    {
        await using var agent = new DemoAgent();
        var pulled = new TaskCompletionSource<ReceivedClip>(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Host.Services.GetRequiredService<ClipReceiver>().ClipReceived += clip =>
        {
            if (clip.Manifest.TriggerIds.Contains(RingWindowRecorder.TriggerId) && clip.Manifest.StartWall < clip.Manifest.EndWall)
            {
                pulled.TrySetResult(clip);
            }
        };
        await agent.Host.StartAsync(TestContext.Current.CancellationToken);
        await agent.WaitForClipsAsync(1, Timeout);
        var triggerEvent = agent.Host.Services.GetRequiredService<IClipCatalog>().RecentEvents(10).First(e => e.ClipId is not null);

        await using var fleet = new FleetClient(new UplinkOptions(), agent.Host.Services.GetRequiredService<BrokerEndpoint>());
        await fleet.ConnectAsync(TestContext.Current.CancellationToken);
        var topics = agent.Host.Services.GetRequiredService<FleetTopics>();
        var reply = await fleet.SendAsync(
            topics.Fleet,
            topics.Device,
            new CommandRequest(CommandNames.PullWindow) { EventId = triggerEvent.EventId, BeforeSeconds = 5, AfterSeconds = 1 },
            Timeout,
            TestContext.Current.CancellationToken);

        Assert.True(reply.Ok, reply.Error);
        var result = reply.Result!.Value.Deserialize<PullWindowResult>(UplinkJson.Options)!;
        var wanted = triggerEvent.WallClock - TimeSpan.FromSeconds(5);
        var cut = Assert.Single(result.FromBuffer);
        Assert.Equal(wanted, cut.From);

        // The cut holds what the event's own clip (from t − 2 s) does not: frames from further back
        // (the demo's first event comes ~3 s after start, so the buffer begins at the agent's start).
        var clip = await pulled.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await using var file = File.OpenRead(clip.Path);
        var content = new McapClipReader().Read(file);
        // How many frames that is depends on how soon after start the event came (load): at least one.
        Assert.NotEmpty(content.Frames);
        Assert.True(content.Frames[0].WallClock <= triggerEvent.WallClock - TimeSpan.FromSeconds(2.5), $"first frame {content.Frames[0].WallClock:O}, event {triggerEvent.WallClock:O}");
        Assert.All(content.Frames, f => Assert.True(f.WallClock <= triggerEvent.WallClock - TimeSpan.FromSeconds(2) + TimeSpan.FromMilliseconds(70)));
    }
}
