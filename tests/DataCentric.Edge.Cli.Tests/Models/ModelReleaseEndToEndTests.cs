using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using DataCentric.Edge.Agent;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.FleetService.Tracking;
using DataCentric.Edge.Quantize;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Cli.Tests.Models;

/// <summary>
/// Issue 21's whole loop on real parts: ResNet18 quantized to int8 by tools/Quantize, signed and pushed
/// with edgectl through mosquitto to two in-process agents that run the float ResNet18 as their
/// embedder, one of which has a memory limit too small for a second model; dce-fleet's tracker on the
/// same broker feeds its catalog, and its HTTP API shows what each device did.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelReleaseEndToEndTests : IDisposable
{
    private const string Fleet = "e2e";
    private const string Group = "yard";
    private const string ModelName = "resnet18";
    private const string Accepting = "cam-a";
    private const string TooSmall = "cam-b";

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(45);

    private static readonly string ResNet18Path = typeof(ModelReleaseEndToEndTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ResNet18OnnxPath").Value!;

    private readonly TempDirectory _dir = new("dce-model-e2e");

    [Fact]
    public async Task Int8ResNet18_PushedToTwoAgents_OneSwapsIt_OneRefusesOverItsMemoryLimit_AndTheFleetViewShowsBoth()
    {
        var ct = TestContext.Current.CancellationToken;
        var int8 = _dir.Combine("resnet18-int8.onnx");
        var quantized = ModelQuantizer.Quantize(new QuantizeRequest { InputPath = ResNet18Path, OutputPath = int8, Input = EmbedderInput() });
        Assert.True(quantized.Qdq.QuantizedConvs > 0, "tools/Quantize wrote no int8 convolution");
        var keys = await Edgectl.RunAsync("keys", "new", "--out", _dir.Combine("fleet"));
        Assert.True(keys.Exit == 0, keys.Error);
        var release = _dir.Combine("resnet18-2.json");
        var signed = await Edgectl.RunAsync(
            "models", "sign", int8, "--name", ModelName, "--version", "2", "--key", _dir.Combine("fleet.key"), "--fleet", Fleet,
            "--target", $"group:{Group}", "--latency-budget-ms", "2000", "--out", release);
        Assert.True(signed.Exit == 0, signed.Error);
        var sha256 = ModelReleaseFiles.PayloadOf(release).Sha256;

        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: ct);
        await using var fleet = await FleetApiUnderTest.StartAsync();
        using var tracker = new DeviceTracker(
            fleet.Catalog,
            new TrackerOptions
            {
                ClientId = $"trk-{Guid.NewGuid():N}",
                CheckInterval = TimeSpan.FromMilliseconds(100),
                Broker = new UplinkOptions { Host = "127.0.0.1", Port = broker.Port },
            },
            TimeProvider.System,
            NullLogger<DeviceTracker>.Instance);
        await tracker.StartAsync(ct);
        await tracker.Subscribed.WaitAsync(TimeSpan.FromSeconds(10), ct);

        // Device A may use far more than this process does; device B less than it uses already.
        using var a = StartAgent(broker.Port, Accepting, memoryLimitBytes: 64L << 30);
        using var b = StartAgent(broker.Port, TooSmall, memoryLimitBytes: 64L << 20);
        await a.StartAsync(ct);
        await b.StartAsync(ct);
        var configured = RunningSha256(b);
        Assert.Equal(configured, RunningSha256(a));

        var push = await Edgectl.RunAsync("models", "push", release, int8, "--broker", $"127.0.0.1:{broker.Port.ToString(CultureInfo.InvariantCulture)}", "--fleet", Fleet);
        Assert.True(push.Exit == 0, push.Error);

        // The fleet's view: version 2 runs on A, B refused it and says why.
        using var http = new HttpClient { BaseAddress = new Uri(fleet.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(fleet.TokenFile, ct)).Trim());
        var version = await UntilAsync(
            async () => await VersionAsync(http, 2, ct),
            v => v is { } x && Devices(x, "running").Contains(Accepting) && Devices(x, "refused").Contains(TooSmall),
            "the fleet view of version 2 with A running it and B refusing it");
        Assert.Equal(sha256, version!.Value.GetProperty("sha256").GetString());
        var refusal = version.Value.GetProperty("refused").EnumerateArray().Single(d => d.GetProperty("device").GetString() == TooSmall);
        var reason = Assert.Single(refusal.GetProperty("reasons").EnumerateArray().ToList());
        Assert.Equal("overMemoryLimit", reason.GetProperty("reason").GetString());
        Assert.Contains("ModelReleases:MemoryLimitBytes", reason.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(version.Value.GetProperty("rolledBack").EnumerateArray());

        // A's probation ran on its real frames within its limit before the swap.
        var probation = version.Value.GetProperty("running").EnumerateArray().Single(d => d.GetProperty("device").GetString() == Accepting).GetProperty("probation");
        Assert.Equal((5, 0), (probation.GetProperty("frames").GetInt32(), probation.GetProperty("errors").GetInt32()));
        var limit = probation.GetProperty("memoryLimitBytes").GetInt64(); // ours, or the unit's cgroup limit where lower
        Assert.InRange(limit, 1, 64L << 30);
        Assert.InRange(probation.GetProperty("residentBytes").GetInt64(), 1, limit);

        // /api/devices: which model each device runs now.
        var devices = await UntilAsync(
            async () => await DeviceModelsAsync(http, ct),
            all => all.ContainsKey(Accepting) && all.ContainsKey(TooSmall),
            "both devices listed with their model");
        Assert.Equal((2, sha256, "active"), devices[Accepting]);
        Assert.Equal((0, "refused"), (devices[TooSmall].ActiveVersion, devices[TooSmall].Stage));

        // The agents themselves: A infers with the int8 file, B still with the float one it was configured with.
        Assert.Equal(sha256, RunningSha256(a));
        Assert.Equal(configured, RunningSha256(b));
        Assert.Equal(2, a.Services.GetRequiredService<ReleasedModels>().ActiveOf(ModelName)!.Version);
        Assert.Null(b.Services.GetRequiredService<ReleasedModels>().ActiveOf(ModelName));

        await b.StopAsync(ct);
        await a.StopAsync(ct);
        await tracker.StopAsync(ct);
    }

    private IHost StartAgent(int brokerPort, string device, long memoryLimitBytes)
    {
        var dir = _dir.Combine(device);
        var commandLine = new AgentCommandLine(AgentMode.Demo, TimeSpan.FromHours(1), Path.Combine(dir, "received"), null, Path.Combine(dir, "data"));
        var input = EmbedderInput();
        (string Key, string Value)[] overrides =
        [
            ("Agent:Fleet", Fleet),
            ("Agent:DeviceId", device),
            ("Uplink:UseEmbeddedBroker", "false"),
            ("Uplink:Host", "127.0.0.1"),
            ("Uplink:Port", brokerPort.ToString(CultureInfo.InvariantCulture)),
            ("Receiver:ClientId", $"dce-demo-receiver-{device}"),
            ("RemoteConfig:TrustedKeyPaths:0", _dir.Combine("fleet.pub")),
            ("RemoteConfig:Groups:0", Group),
            ("Sources:Synthetic:FramesPerSecond", "5"),
            ("ModelReleases:ProbationFrames", "5"),
            ("ModelReleases:MemoryLimitBytes", memoryLimitBytes.ToString(CultureInfo.InvariantCulture)),
            ("Inference:Models:1:Name", ModelName),
            ("Inference:Models:1:ModelPath", ResNet18Path),
            ("Inference:Models:1:IntraOpThreads", "1"),
            ("Inference:Models:1:Input:Name", input.Name),
            ("Inference:Models:1:Input:Scale", "1"),
            .. input.Mean.Select((m, i) => ($"Inference:Models:1:Input:Mean:{i}", m.ToString(CultureInfo.InvariantCulture))),
            .. input.Std.Select((s, i) => ($"Inference:Models:1:Input:Std:{i}", s.ToString(CultureInfo.InvariantCulture))),
            ("Inference:Models:1:Output:Kind", "Embedding"),
            ("Inference:Models:1:Output:Tensor", "Pooling395_Output_0"),
        ];
        var configuration = AgentHost.BuildConfiguration(commandLine, overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)));
        var errors = AgentConfiguration.Validate(configuration);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        return AgentHost.Build(commandLine, configuration, TextWriter.Null);
    }

    /// <summary>ResNet18's image input as the product's embedder takes it: ImageNet mean/std on 0..255 RGB.</summary>
    private static ImageInputOptions EmbedderInput()
    {
        var input = new ImageInputOptions { Name = "Input247", Scale = 1f };
        foreach (var (mean, std) in new[] { (123.675f, 58.395f), (116.28f, 57.12f), (103.53f, 57.375f) })
        {
            input.Mean.Add(mean);
            input.Std.Add(std);
        }

        return input;
    }

    private static string RunningSha256(IHost agent) =>
        agent.Services.GetRequiredService<ShadowModelSet>().Models.Single(m => m.Status.Model!.Name == ModelName).Status.Model!.Sha256;

    private static async Task<JsonElement?> VersionAsync(HttpClient http, int version, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri($"api/models/{ModelName}?fleet={Fleet}", UriKind.Relative), ct);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return view.RootElement.GetProperty("versions").EnumerateArray().Where(v => v.GetProperty("version").GetInt32() == version).Select(v => (JsonElement?)v.Clone()).SingleOrDefault();
    }

    private static List<string?> Devices(JsonElement version, string outcome) =>
        [.. version.GetProperty(outcome).EnumerateArray().Select(d => d.GetProperty("device").GetString())];

    private static async Task<Dictionary<string, (int ActiveVersion, string? ActiveSha256, string? Stage)>> DeviceModelsAsync(HttpClient http, CancellationToken ct)
    {
        using var view = JsonDocument.Parse(await http.GetStringAsync(new Uri($"api/devices?fleet={Fleet}", UriKind.Relative), ct));
        var rows = view.RootElement.GetProperty("items");
        var models = new Dictionary<string, (int, string?, string?)>(StringComparer.Ordinal);
        foreach (var device in rows.EnumerateArray())
        {
            if (device.TryGetProperty("models", out var list) && list.ValueKind == JsonValueKind.Array
                && list.EnumerateArray().FirstOrDefault(m => m.GetProperty("name").GetString() == ModelName) is { ValueKind: JsonValueKind.Object } model)
            {
                var active = model.GetProperty("activeSha256");
                models[device.GetProperty("device").GetString()!] = (
                    model.GetProperty("activeVersion").GetInt32(),
                    active.ValueKind == JsonValueKind.String ? active.GetString() : null,
                    model.GetProperty("lastRelease").GetProperty("stage").GetString());
            }
        }

        return models;
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Settle;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not seen within {Settle}: {what}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    public void Dispose() => _dir.Dispose();
}
