using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Tests.Receiving;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Playwright;
using MQTTnet;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>
/// The Models page's world, real but for the inference layer: mosquitto with TLS and the shipped ACL; dce-fleet
/// (its own process) with its tracker and operator link, an operator and a viewer token; two devices whose own
/// model receivers verify releases against the fleet key, fetch the real ONNX file's chunks and ack every step,
/// and answer <c>rollbackModel</c>. The canary (of 50 %) passes probation; the other device, in group
/// <see cref="Group"/>, fails it on latency. Debian's chromium drives the page.
/// </summary>
public sealed class ModelConsoleRig : IAsyncLifetime
{
    public const string Fleet = "fleet1";
    public const string Name = "det";
    public const string Group = "yard";

    private readonly TempDirectory _dir = new("dce-console-models");
    private readonly List<ModelConsoleDevice> _devices = [];
    private SecureBroker? _broker;
    private DceFleetProcess? _fleet;
    private IPlaywright? _playwright;

    public string OperatorToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string ViewerToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>A second operator ("piet"), who may approve what "olga" uploads.</summary>
    public string SecondOperatorToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>What <c>edgectl models sign --key</c> would hold; both devices pin its public half.</summary>
    public ECDsa FleetKey { get; } = FleetKeys.New();

    /// <summary>The released file: the demo's real shadow model.</summary>
    public string ModelFile { get; } = RepositoryFiles.Path("firmware-config", "models", "obstacle-detector.onnx");

    /// <summary>The inputs and outputs both devices' adapters take (what <c>edgectl models sign</c> records).</summary>
    public ModelIo Io { get; } = new([new ModelTensor("image", "float", [1, 3, 64, 64])], [new ModelTensor("scores", "float", [1, 2])]);

    /// <summary>The canary of 50 % of the two devices (the lower SHA-256 of "fleet/device", as the service picks).</summary>
    public string Canary { get; } = new[] { "dev-a", "dev-b" }.OrderBy(Rank, StringComparer.Ordinal).First();

    public string Other => Canary == "dev-a" ? "dev-b" : "dev-a";

    internal ModelConsoleDevice CanaryDevice => _devices[0];

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string Directory => _dir.Path;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var chromium = ConsoleRig.FindChromium();
        _broker = await SecureBroker.StartAsync(cancellationToken: Ct);
        var port = ConsoleRig.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _fleet = await DceFleetProcess.StartAsync(await FleetSettingsAsync(_broker, port), Ct);
        _devices.Add(await ModelConsoleDevice.StartAsync(_broker, _dir, Fleet, Canary, [], FleetKey, Io, ScriptedActivator.Passing(), Ct));
        _devices.Add(await ModelConsoleDevice.StartAsync(_broker, _dir, Fleet, Other, [Group], FleetKey, Io, ScriptedActivator.TooSlow(), Ct));

        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Args = ["--no-sandbox", "--disable-gpu"] });
        System.IO.Directory.CreateDirectory(ConsoleRig.ScreensDirectory);
    }

    /// <summary>A new page (own session storage) signed in with <paramref name="token"/>, at <paramref name="route"/>.</summary>
    public async Task<IPage> OpenAsync(string token, string route)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(BaseAddress, "/console/#/signin").ToString());
        await page.FillAsync("#token", token);
        await page.ClickAsync("#signin button[type=submit]");
        await page.WaitForSelectorAsync("#fleet-summary");
        await page.GotoAsync(new Uri(BaseAddress, $"/console/{route}").ToString());
        return page;
    }

    /// <summary>Signs version <paramref name="version"/> of the file for <paramref name="target"/> and writes it as <c>edgectl models sign --out</c> does.</summary>
    public async Task<string> SignAsync(TriggerSetTarget target, int version, string fileName, string name = Name)
    {
        var bytes = await File.ReadAllBytesAsync(ModelFile, Ct);
        var release = new ModelReleasePayload(FleetTopics.Root, Fleet, target, name, version, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, Io, DateTimeOffset.UtcNow)
        {
            LatencyBudgetMs = 40,
        };
        var path = _dir.Combine(fileName);
        await File.WriteAllBytesAsync(path, ModelReleaseSigner.Sign(release, FleetKey), Ct);
        return path;
    }

    /// <summary>The chunk half of <c>edgectl models push</c>: the file's retained chunks, as dce-operator (the tools' identity).</summary>
    public async Task PublishChunksAsync()
    {
        var bytes = await File.ReadAllBytesAsync(ModelFile, Ct);
        using var client = await _broker!.ConnectAsync("dce-operator", $"edgectl-{Guid.NewGuid():N}", Ct);
        await ModelChunkPublisher.PublishAsync(client, Fleet, Convert.ToHexStringLower(SHA256.HashData(bytes)), ModelFile, null, Ct);
        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), Ct);
    }

    /// <summary>For each test class's Dispose: a failed test shows dce-fleet's last log lines.</summary>
    internal void ReportFleetLogIfFailed() => _fleet?.ReportIfTestFailed();

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        foreach (var device in _devices)
        {
            await device.DisposeAsync();
        }

        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        FleetKey.Dispose();
        _dir.Dispose();
    }

    private static string Rank(string device) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Fleet}/{device}")));

    private async Task<string[]> FleetSettingsAsync(SecureBroker broker, int port)
    {
        var tokens = new[] { ("olga", "Operator", OperatorToken), ("vera", "Viewer", ViewerToken), ("piet", "Operator", SecondOperatorToken) };

        // No ConsoleModels:UploadDirectory on purpose: rigs side by side share the default folder, as processes on one host do.
        var settings = new List<string>
        {
            $"--urls={BaseAddress}",
            $"--Catalog:EmbeddedPath={_dir.Combine("fleet-catalog.db")}",
            $"--ObjectStore:Directory={_dir.Combine("fleet-objects")}",
            "--Operator:CommandTimeout=00:00:10",
        };
        for (var i = 0; i < tokens.Length; i++)
        {
            var file = _dir.Combine($"{tokens[i].Item1}.token");
            await File.WriteAllTextAsync(file, tokens[i].Item3, Ct);
            settings.Add($"--Api:Tokens:{i}:Name={tokens[i].Item1}");
            settings.Add($"--Api:Tokens:{i}:Role={tokens[i].Item2}");
            settings.Add($"--Api:Tokens:{i}:TokenFile={file}");
        }

        var receiver = broker.OptionsFor("dce-receiver");
        var op = broker.OptionsFor("dce-operator");
        foreach (var (section, identity) in new[] { ("Receiver", receiver), ("Tracker", receiver), ("Operator", op) })
        {
            settings.Add($"--{section}:ClientId=models-{section.ToLowerInvariant()}-{port.ToString(CultureInfo.InvariantCulture)}");
            settings.Add($"--{section}:Broker:Host=127.0.0.1");
            settings.Add($"--{section}:Broker:Port={identity.Port.ToString(CultureInfo.InvariantCulture)}");
            settings.Add($"--{section}:Broker:UseTls=true");
            settings.Add($"--{section}:Broker:CaCertificatePath={identity.CaCertificatePath}");
            settings.Add($"--{section}:Broker:ClientCertificatePath={identity.ClientCertificatePath}");
            settings.Add($"--{section}:Broker:ClientKeyPath={identity.ClientKeyPath}");
        }

        return [.. settings];
    }
}
