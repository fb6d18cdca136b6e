using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.FleetService.Tests.Receiving;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Playwright;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Pulls;

/// <summary>
/// The pull page's world, every part real: mosquitto with TLS and the shipped ACL; dce-fleet on its embedded defaults
/// with its operator link, an operator (olga) and a viewer (vera) token; device dev-a (group night-shift), online, whose
/// own command handlers answer listClips and pullClip from its own buffer, which holds one clip not yet uploaded, and
/// whose own uploader sends it when it is pulled; device dev-b (group day-shift), which reported itself offline and
/// answers nothing; Debian's chromium.
/// </summary>
public sealed class PullConsoleRig : IAsyncLifetime
{
    public const string Fleet = "fleet1";
    public const string Online = "dev-a";
    public const string Offline = "dev-b";
    public const string ClipId = "pull-clip-1";

    private readonly TempDirectory _dir = new("dce-console-pulls");
    private SecureBroker? _broker;
    private DceFleetProcess? _fleet;
    private LiteDbClipCatalog? _deviceCatalog;
    private DeviceConnection? _offlineLink;
    private MqttClipUploader? _uploader;
    private IPlaywright? _playwright;

    public string OlgaToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string VeraToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>What dev-a's own command handlers were asked to upload (the pull reached the device).</summary>
    public UploadRequests Uploads { get; } = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var chromium = ConsoleRig.FindChromium();
        _broker = await SecureBroker.StartAsync(cancellationToken: Ct);
        var port = ConsoleRig.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _fleet = await DceFleetProcess.StartAsync(await FleetSettingsAsync(_broker, port), Ct);

        // dev-a: one clip in its buffer, not uploaded; a pull makes its own uploader send it.
        _deviceCatalog = new LiteDbClipCatalog(_dir.Combine("device-catalog.db"));
        var store = new ClipFileStore(_dir.Combine("device-clips"), new McapClipWriter(), _deviceCatalog, TimeProvider.System);
        var link = new DeviceConnection(_broker.OptionsFor(Online), _broker.Endpoint, new FleetTopics(Fleet, Online)) { TriggerSetVersion = 1, Groups = ["night-shift"] };
        _ = new DeviceCommands(new CommandDependencies(link, _deviceCatalog, Uploads, new CommandOptions(), TimeProvider.System));
        _uploader = new MqttClipUploader(link, _deviceCatalog, store);
        var stored = store.Save(ConsoleSamples.Clip(ClipId, 12, i => [0xFF, 0xD8, (byte)i, 0xFF, 0xD9]));
        Uploads.Requested += () => _ = UploadRequestedAsync(stored);
        Assert.True(await _uploader.EnsureConnectedAsync(Ct));

        // dev-b: said it is offline (for the night) and listens to no command.
        _offlineLink = new DeviceConnection(_broker.OptionsFor(Offline), _broker.Endpoint, new FleetTopics(Fleet, Offline)) { TriggerSetVersion = 1, Groups = ["day-shift"] };
        Assert.True(await _offlineLink.EnsureConnectedAsync(Ct));
        await _offlineLink.SetStatusAsync("offline", "powered down for the night", Ct);
        await WaitForDevicesAsync();

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

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_uploader is not null)
        {
            await _uploader.DisposeAsync();
        }

        if (_offlineLink is not null)
        {
            await _offlineLink.DisposeAsync();
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

        _dir.Dispose();
    }

    /// <summary>What the agent's upload loop does for a pulled clip: send it whole, then mark the request done.</summary>
    private async Task UploadRequestedAsync(StoredClip stored)
    {
        if (!Uploads.IsRequested(stored.ClipId))
        {
            return;
        }

        await _uploader!.UploadAsync(stored, CancellationToken.None);
        Uploads.Done(stored.ClipId);
    }

    /// <summary>How many pulls the service holds for the fleet (the tests of one class share this service).</summary>
    public async Task<int> PullCountAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", VeraToken);
        using var answer = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/pulls?fleet={Fleet}", UriKind.Relative), Ct));
        return answer.RootElement.GetArrayLength();
    }

    /// <summary>Both devices in the fleet's catalog, so the pull page lists them from its first load.</summary>
    private async Task WaitForDevicesAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", VeraToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            using var answer = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/console/devices?fleet={Fleet}", UriKind.Relative), deadline.Token));
            var states = answer.RootElement.GetProperty("items").EnumerateArray().ToDictionary(d => d.GetProperty("device").GetString()!, d => d.GetProperty("state").GetString());
            if (states.GetValueOrDefault(Online) == "online" && states.GetValueOrDefault(Offline) == "offline")
            {
                return;
            }
        }
        while (await tick.WaitForNextTickAsync(deadline.Token));
    }

    private async Task<string[]> FleetSettingsAsync(SecureBroker broker, int port)
    {
        var tokens = new[] { ("olga", "Operator", OlgaToken), ("vera", "Viewer", VeraToken) };
        var settings = new List<string>
        {
            $"--urls={BaseAddress}",
            $"--Catalog:EmbeddedPath={_dir.Combine("fleet-catalog.db")}",
            $"--ObjectStore:Directory={_dir.Combine("fleet-objects")}",
            "--Console:PullPollInterval=00:00:00.250",
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
            settings.Add($"--{section}:ClientId=pulls-{section.ToLowerInvariant()}-{port.ToString(CultureInfo.InvariantCulture)}");
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
