using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DataCentric.Edge.Agent.Tests.Install;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Engine;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Tests.EndToEnd;

/// <summary>
/// The controller's own perception against the shadow model's, through the whole agent: a real
/// YOLOv8-layout ONNX model (test-yolov8.onnx: two constant boxes, see tools/ModelGen) as the shadow
/// model, and a controller that reports its boxes as JSON datagrams over a real UDP socket. The
/// controller first agrees with the model (hostile datagrams in between, which must change
/// nothing), then misses the model's second box for a while, then agrees again: <c>iou_miss</c>
/// fires once, inside the disagreement, and the clip that arrives holds both perceptions.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ControllerPerceptionEndToEndTests
{
    // test-yolov8.onnx's boxes on a stretched 32×32 input, normalised: anchor 0 (cx 8, cy 8, 8×8)
    // class 0 at 0.9 and anchor 2 (cx 24, cy 24, 4×8) class 1 at 0.7.
    private const string Car = """{"class": "car", "score": 0.9, "box": {"x": 0.13, "y": 0.12, "width": 0.25, "height": 0.26}}""";
    private const string Truck = """{"class": 1, "score": 0.7, "box": {"x": 0.6875, "y": 0.625, "width": 0.125, "height": 0.25}}""";
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);

    private static readonly string[] Hostile =
    [
        Message($"{Car}, {Truck.Replace("0.125", "-0.125", StringComparison.Ordinal)}"),
        Message(string.Join(", ", Enumerable.Repeat(Car, 65))),
        Message($"{Car}, {Truck.Replace("\"score\": 0.7", "\"score\": 7", StringComparison.Ordinal)}"),
        Message($"{Car}, {Truck.Replace("\"class\": 1", "\"class\": 9", StringComparison.Ordinal)}"),
        Message("""{"class": "car", "score": 0.9, "box": {"x": 0.13, "y": 0.12, "width": NaN, "height": 0.26}}"""),
        Message("""{"class": "car", "box": {"x": 0.13, "y": 0.12, "width": 0.25, "height": 0.26}}"""),
    ];

    private static string Message(string boxes) => """{"decisions": {"brake": false}, "perception": {"detections": {"boxes": [""" + boxes + "]}}}";

    [Fact]
    public async Task IouMiss_FiresWhereTheControllersBoxesDifferFromTheModels_AndNotWhereTheyAgree()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("dce-perception-e2e");
        var triggers = dir.Combine("perception.yaml");
        await File.WriteAllTextAsync(triggers, """
            schemaVersion: 1
            version: 1
            description: The controller's perception against the shadow model's
            staleAfter: 300ms
            triggers:
              - id: controller-missed-box
                when: iou_miss(shadow.boxes, primary.boxes, 0.5)
                pre: 500ms
                post: 500ms
                cooldown: 0s
                priority: 5
              - id: controller-other-class
                when: class_mismatch(shadow.boxes, primary.boxes)
                pre: 500ms
                post: 500ms
                cooldown: 0s
            """, ct);
        var port = FreeUdpPort();
        await using var agent = new DemoAgent(
            ("Agent:TriggerSetPath", triggers),
            ("Sources:Synthetic:Width", "320"),
            ("Sources:Synthetic:Height", "240"),
            ("Sources:Controller:Kind", "Udp"),
            ("Sources:Controller:UdpPort", port.ToString(CultureInfo.InvariantCulture)),
            ("Sources:Controller:Signals:brake", "Bool"),
            ("Sources:Controller:Signals:boxes", "Detections"),
            ("Sources:Controller:Classes:0", "car"),
            ("Sources:Controller:Classes:1", "truck"),
            ("Inference:Models:0:Name", "yolov8"),
            ("Inference:Models:0:ModelPath", Path.Combine(PublishedAgent.RepositoryRoot, "firmware-config", "models", "test-yolov8.onnx")),
            ("Inference:Models:0:Input:Name", "images"),
            ("Inference:Models:0:Input:Resize", "Stretch"),
            ("Inference:Models:0:Output:Kind", "Detection"),
            ("Inference:Models:0:Output:DetectionLayout", "YoloV8"),
            ("Inference:Models:0:Output:Tensor", "output0"));
        var clock = agent.Host.Services.GetRequiredService<MonotonicClock>();
        var engine = agent.Host.Services.GetRequiredService<TriggerEngine>();
        await agent.Host.StartAsync(ct);

        using var controller = new UdpClient(AddressFamily.InterNetwork);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        var sent = 0;
        async Task SendAsync(string message)
        {
            await controller.SendAsync(Encoding.UTF8.GetBytes(message), endpoint, ct);
            sent++;

            // The controller's own pace: one message per period.
            await Task.Delay(Period, ct);
        }

        // Agreement, with hostile datagrams between good ones, until the comparison has run on fresh
        // values many times (the model loads first).
        var compared = () => engine.GetCounters().Single(c => c.TriggerId == "controller-missed-box") is var c ? c.Evaluations - c.MissingSignal : 0;
        var deadline = clock.Now + TimeSpan.FromSeconds(60);
        while (compared() < 40)
        {
            Assert.True(clock.Now < deadline, $"the comparison ran only {compared()} times:\n{agent.Output}");
            await SendAsync(sent % 3 == 2 ? Hostile[sent / 3 % Hostile.Length] : Message($"{Car}, {Truck}"));
        }

        Assert.Empty(agent.Received);

        // The controller misses the second box for 1.5 s, then agrees again for 1.5 s.
        var disagreementStart = clock.Now;
        while (clock.Now < disagreementStart + TimeSpan.FromSeconds(1.5))
        {
            await SendAsync(Message(Car));
        }

        var disagreementEnd = clock.Now;
        while (clock.Now < disagreementEnd + TimeSpan.FromSeconds(1.5))
        {
            await SendAsync(Message($"{Car}, {Truck}"));
        }

        await agent.WaitForClipsAsync(1, TimeSpan.FromSeconds(30));
        await agent.Host.StopAsync(ct);

        var counters = engine.GetCounters().ToDictionary(c => c.TriggerId);
        Assert.Equal(1, counters["controller-missed-box"].Fires);
        Assert.Equal(1, counters["controller-missed-box"].RisingEdges);
        Assert.Equal(0, counters["controller-other-class"].RisingEdges);

        var received = Assert.Single(agent.Received);
        Assert.Equal(["controller-missed-box"], received.Manifest.TriggerIds);
        await using var file = File.OpenRead(received.Path);
        var clip = new McapClipReader().Read(file);
        var fired = Assert.Single(clip.Events);
        Assert.Equal("controller-missed-box", Assert.Single(fired.Triggers).TriggerId);

        // At a frame inside the disagreement (stale-after later at most, when the last miss was still the newest).
        Assert.InRange(fired.Time, disagreementStart, disagreementEnd + TimeSpan.FromMilliseconds(300));

        // The clip holds what was compared: the model's two boxes and the controller's one.
        Assert.Contains(clip.Signals, s => s.Name == "shadow.boxes" && s.Sample.Value.AsDetections.Count == 2);
        Assert.Contains(clip.Signals, s => s.Name == "primary.boxes" && s.Sample.Value.AsDetections.Count == 1 && s.Sample.Time <= fired.Time);
        Assert.Contains(clip.Signals, s => s.Name == "primary.boxes" && s.Sample.Value.AsDetections is [{ ClassId: 0 }, { ClassId: 1 }]);
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
