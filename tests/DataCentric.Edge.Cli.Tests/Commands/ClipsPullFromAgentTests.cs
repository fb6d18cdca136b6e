using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Agent;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Cli.Tests.Commands;

/// <summary>
/// <c>edgectl clips pull</c> against a whole agent (the demo's synthetic scene through the real
/// pipeline, recorder ring and uplink) on mosquitto, with the demo's own receiver standing in for the fleet's.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClipsPullFromAgentTests
{
    [Fact]
    public async Task PullAroundAnEvent_ListsTheClipCutFromTheRecentBuffer_AndOnlyThePullsClipsLandInOut()
    {
        var token = TestContext.Current.CancellationToken;
        await using var mosquitto = await MosquittoBroker.StartAsync(cancellationToken: token);
        using var dir = new TempDirectory();
        var commandLine = new AgentCommandLine(AgentMode.Demo, TimeSpan.FromHours(1), dir.Combine("fleet"), null, dir.Combine("data"));
        var configuration = AgentHost.BuildConfiguration(
            commandLine, [new("Uplink:UseEmbeddedBroker", "false"), new("Uplink:Port", mosquitto.Port.ToString(CultureInfo.InvariantCulture))]);
        using var host = AgentHost.Build(commandLine, configuration, TextWriter.Null);
        await host.StartAsync(token);
        try
        {
            var catalog = host.Services.GetRequiredService<IClipCatalog>();
            await Waits.UntilAsync(() => catalog.RecentEvents(20).Any(e => e.ClipId is not null), "the demo stored its first triggered clip");
            var triggerEvent = catalog.RecentEvents(20).Last(e => e.ClipId is not null);
            var topics = host.Services.GetRequiredService<FleetTopics>();
            var outDir = dir.Combine("pulled");

            // Five seconds before the event: more than its clip holds, so the rest is cut from the ring.
            var pull = await Edgectl.RunAsync(
                "clips", "pull", "--event", triggerEvent.EventId, "--before", "5", "--after", "1", "--device", topics.Device, "--fleet", topics.Fleet,
                "--broker", $"127.0.0.1:{mosquitto.Port.ToString(CultureInfo.InvariantCulture)}", "--out", outDir, "--wait", "00:00:30", "--json");

            Assert.True(pull.Exit == 0, pull.Error + string.Join("\n", catalog.RecentClips(50).Select(c => $"{c.ClipId} {string.Join(',', c.TriggerIds)} {c.StartWall:O} {c.EndWall:O} {c.UploadState}")));
            using var rows = JsonDocument.Parse(pull.Output);
            var pulled = rows.RootElement.EnumerateArray()
                .Select(r => (Id: r.GetProperty("clipId").GetString()!, Source: r.GetProperty("source").GetString()!, Path: r.GetProperty("path").GetString()!))
                .ToList();
            Assert.Contains(pulled, p => p.Id == triggerEvent.ClipId && p.Source == "stored");
            var cut = Assert.Single(pulled, p => p.Source == "recentBuffer");
            Assert.Contains(PullWindows.RingCutTriggerId, catalog.FindClip(cut.Id)!.TriggerIds);

            // The demo keeps firing and uploading meanwhile: none of those clips is the pull's, so none is in --out.
            Assert.Equal(
                pulled.Select(p => Path.GetFullPath(p.Path)).Order(StringComparer.Ordinal),
                Directory.EnumerateFiles(outDir, "*.mcap", SearchOption.AllDirectories).Select(Path.GetFullPath).Order(StringComparer.Ordinal));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
