using System.Globalization;
using System.Security.Cryptography;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.FleetService.Tests.Receiving;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.RemoteConfig;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Playwright;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Triggers;

/// <summary>
/// The Triggers page's and editor's world, every part real: mosquitto with TLS and the shipped ACL; dce-fleet on
/// its embedded defaults with its operator link (dce-operator) and two operator tokens; device dev-a, whose own
/// connection announces its signals, whose own uploader sends two clips, which reports trigger counters, and whose
/// own <see cref="RemoteTriggerSets"/> verifies pushed sets against the fleet key and acks them; Debian's chromium.
/// </summary>
public sealed class TriggerConsoleRig : IAsyncLifetime
{
    public const string Fleet = "fleet1";
    public const string Device = "dev-a";

    private readonly TempDirectory _dir = new("dce-console-triggers");
    private SecureBroker? _broker;
    private DceFleetProcess? _fleet;
    private LiteDbClipCatalog? _deviceCatalog;
    private MqttClipUploader? _uploader;
    private RemoteTriggerSets? _remote;
    private IPlaywright? _playwright;

    public string OlgaToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string OscarToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>The fleet key: what <c>edgectl triggers sign --key</c> would hold; dev-a trusts its public half.</summary>
    public ECDsa FleetKey { get; } = FleetKeys.New();

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The set dev-a runs, as its own remote-config handler keeps it.</summary>
    public ActiveTriggerSet Active { get; private set; } = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var chromium = ConsoleRig.FindChromium();
        _broker = await SecureBroker.StartAsync(cancellationToken: Ct);
        var port = ConsoleRig.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _fleet = await DceFleetProcess.StartAsync(await FleetSettingsAsync(_broker, port), Ct);

        var signals = TriggerSamples.DeviceSignals.Select(s => (s[..s.IndexOf(':', StringComparison.Ordinal)], Enum.Parse<SignalKind>(s[(s.IndexOf(':', StringComparison.Ordinal) + 1)..], ignoreCase: true))).ToList();
        _deviceCatalog = new LiteDbClipCatalog(_dir.Combine("device-catalog.db"));
        var store = new ClipFileStore(_dir.Combine("device-clips"), new McapClipWriter(), _deviceCatalog, TimeProvider.System);
        var link = new DeviceConnection(_broker.OptionsFor(Device), _broker.Endpoint, new FleetTopics(Fleet, Device))
        {
            TriggerSetVersion = 1,
            Signals = TriggerSamples.DeviceSignals,
        };
        Active = new ActiveTriggerSet(TriggerSetCompiler.Compile(TriggerSamples.Set(1), TriggerSourceFormat.Yaml, signals).GetSetOrThrow());
        _remote = new RemoteTriggerSets(
            link, Active, new TriggerSetDevice(Fleet, Device, [], new Dictionary<string, ECDsa> { [FleetKeys.KeyIdOf(FleetKey)] = FleetKey }, signals, 64 * 1024),
            _dir.Combine("device-sets"), TimeProvider.System);
        _uploader = new MqttClipUploader(link, _deviceCatalog, store);
        var acknowledged = 0;
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _uploader.Acknowledged += _ =>
        {
            if (Interlocked.Increment(ref acknowledged) == 2)
            {
                both.TrySetResult();
            }
        };
        Assert.True(await _uploader.EnsureConnectedAsync(Ct));
        foreach (var id in new[] { "trig-clip-1", "trig-clip-2" })
        {
            await _uploader.UploadAsync(store.Save(ConsoleSamples.Clip(id, 12, i => [0xFF, 0xD8, (byte)i, 0xFF, 0xD9])), Ct);
        }

        await both.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await PublishCountersAsync(link);

        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Args = ["--no-sandbox", "--disable-gpu"] });
        Directory.CreateDirectory(ConsoleRig.ScreensDirectory);
    }

    /// <summary>A new page (own session storage) signed in with <paramref name="token"/>, at <paramref name="route"/>.</summary>
    public async Task<IPage> OpenAsync(string token, string route, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(BaseAddress, "/console/#/signin").ToString());
        await page.FillAsync("#token", token);
        await page.ClickAsync("#signin button[type=submit]");
        await page.WaitForSelectorAsync("#fleet-summary");
        await page.GotoAsync(new Uri(BaseAddress, $"/console/{route}").ToString());
        return page;
    }

    /// <summary>A set signed as <c>edgectl triggers sign --key fleet.key --target device:dev-a --fleet fleet1</c> writes it.</summary>
    public string Sign(string source, int version) => System.Text.Encoding.UTF8.GetString(TriggerSamples.Signed(FleetKey, source, version, Fleet, TargetScope.Device, Device));

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _remote?.Dispose();
        if (_uploader is not null)
        {
            await _uploader.DisposeAsync();
        }

        _deviceCatalog?.Dispose();
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

    /// <summary>Two cumulative reports in the last full hour (the first counts from zero): 7 fires, 3 cooldown and 2 budget suppressions in all.</summary>
    private static async Task PublishCountersAsync(DeviceConnection link)
    {
        var hour = DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600) - 3600);
        var started = hour.AddHours(-2);
        foreach (var (at, fires, cooldown, budget) in new[] { (hour.AddMinutes(5), 1L, 0L, 0L), (hour.AddMinutes(40), 7L, 3L, 2L) })
        {
            var report = new TriggerCountersReport(Fleet, Device, at, started, 1, 60,
                [new TriggerCountersEntry("obstacle_seen", 1000, fires, 0, cooldown, budget, 0, 0, 0, null)]);
            var published = await link.PublishJsonAsync(link.Topics.TriggerCounters, report, retain: false, Ct);
            Assert.True(published.IsSuccess, published.ReasonString);
        }
    }

    private async Task<string[]> FleetSettingsAsync(SecureBroker broker, int port)
    {
        var tokens = new[] { ("olga", "Operator", OlgaToken), ("oscar", "Operator", OscarToken) };
        var settings = new List<string>
        {
            $"--urls={BaseAddress}",
            $"--Catalog:EmbeddedPath={_dir.Combine("fleet-catalog.db")}",
            $"--ObjectStore:Directory={_dir.Combine("fleet-objects")}",
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
            settings.Add($"--{section}:ClientId=triggers-{section.ToLowerInvariant()}-{port.ToString(CultureInfo.InvariantCulture)}");
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
