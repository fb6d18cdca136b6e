using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.FleetService.Tests.Receiving;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Playwright;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

/// <summary>
/// What the browser tests look at, every part real and started once per test class: mosquitto with TLS
/// and the shipped ACL; a dce-fleet process on its embedded defaults (LiteDB catalog, local object
/// folder); device dev-a, whose own connection publishes its status (with health) and whose own buffer
/// and uploader send two clips of real JPEG frames (ffmpeg's test pattern) with the shadow model's boxes;
/// and Debian's chromium driven by Playwright.
/// </summary>
public sealed class ConsoleRig : IAsyncLifetime
{
    public const string Fleet = "fleet1";
    public const string Device = "dev-a";
    public const string ClipId = "console-clip-1";

    /// <summary>A second clip, so that the clips page has two pages at one clip a page.</summary>
    public const string SecondClipId = "console-clip-2";
    public const int Frames = 12;

    private readonly TempDirectory _dir = new("dce-console-rig");
    private SecureBroker? _broker;
    private DceFleetProcess? _fleet;
    private LiteDbClipCatalog? _deviceCatalog;
    private MqttClipUploader? _uploader;
    private IPlaywright? _playwright;

    public string ViewerToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The device's own connection: what it publishes as its status reaches the fleet page.</summary>
    public DeviceConnection DeviceLink { get; private set; } = null!;

    public HealthSummary Health { get; set; } = new(
        12.5, [new ModelLatency("obstacle-detector", true, 18.2, 41.7)], 3, 2, 52_428_800, 8_589_934_592, 5,
        [new ComponentHealth("imu", "/dev/i2c-1", ComponentState.Missing, "no device at 0x68", DateTimeOffset.UtcNow)]);

    /// <summary>Where the screenshots go: TestResults/console-screens beside the test project.</summary>
    public static string ScreensDirectory { get; } = Path.Combine(ProjectDirectory(), "TestResults", "console-screens");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var chromium = FindChromium();
        _broker = await SecureBroker.StartAsync(new MosquittoOptions { AclFile = Models.ModelBrokerAcl.Write(_dir) }, Ct); // the shipped ACL, plus the device side's model lines
        var tokenFile = _dir.Combine("viewer.token");
        await File.WriteAllTextAsync(tokenFile, ViewerToken, Ct);
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _fleet = await DceFleetProcess.StartAsync(FleetSettings(_broker, tokenFile, port), Ct);

        // The device: its status (retained, with health) goes out when it connects; then one clip.
        _deviceCatalog = new LiteDbClipCatalog(_dir.Combine("device-catalog.db"));
        var store = new ClipFileStore(_dir.Combine("device-clips"), new McapClipWriter(), _deviceCatalog, TimeProvider.System);
        DeviceLink = new DeviceConnection(_broker.OptionsFor(Device), _broker.Endpoint, new FleetTopics(Fleet, Device))
        {
            TriggerSetVersion = 4,
            Health = () => Health,
        };
        _uploader = new MqttClipUploader(DeviceLink, _deviceCatalog, store);
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _uploader.Acknowledged += id =>
        {
            lock (acknowledged)
            {
                if (acknowledged.Add(id) && acknowledged.Count == 2)
                {
                    both.TrySetResult();
                }
            }
        };
        var jpegs = await RenderJpegsAsync(Frames);
        Assert.True(await _uploader.EnsureConnectedAsync(Ct));
        foreach (var id in new[] { ClipId, SecondClipId })
        {
            await _uploader.UploadAsync(store.Save(ConsoleSamples.Clip(id, Frames, i => jpegs[i], 320, 240)), Ct);
        }

        await both.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        // A busy CI box (2 cores, many test processes) needs more than Playwright's 5 s default to see a change.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Args = ["--no-sandbox", "--disable-gpu"] });
        Directory.CreateDirectory(ScreensDirectory);
    }

    /// <summary>A new page (own session storage) at the sign-in page, signed in with <paramref name="token"/> when given.</summary>
    public async Task<IPage> OpenAsync(string? token = null, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(BaseAddress, "/console/#/signin").ToString());
        if (token is not null)
        {
            await page.FillAsync("#token", token);
            await page.ClickAsync("#signin button[type=submit]");
            await page.WaitForSelectorAsync("#fleet-summary");
        }

        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreensDirectory, name), FullPage = true });

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

    /// <summary>Real JPEGs: ffmpeg's test pattern, one file per frame.</summary>
    private async Task<byte[][]> RenderJpegsAsync(int count)
    {
        var dir = Directory.CreateDirectory(_dir.Combine("frames")).FullName;
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-frames:v", count.ToString(CultureInfo.InvariantCulture), "-q:v", "5", Path.Combine(dir, "f%02d.jpg") })
        {
            start.ArgumentList.Add(arg);
        }

        using var ffmpeg = Process.Start(start)!;
        var errors = ffmpeg.StandardError.ReadToEndAsync(Ct);
        await ffmpeg.WaitForExitAsync(Ct);
        Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg failed: {await errors}");
        return [.. Enumerable.Range(1, count).Select(i => File.ReadAllBytes(Path.Combine(dir, $"f{i:00}.jpg")))];
    }

    private string[] FleetSettings(SecureBroker broker, string tokenFile, int port)
    {
        var receiver = broker.OptionsFor("dce-receiver");
        var settings = new List<string>
        {
            $"--urls={BaseAddress}",
            $"--Catalog:EmbeddedPath={_dir.Combine("fleet-catalog.db")}",
            $"--ObjectStore:Directory={_dir.Combine("fleet-objects")}",
            "--Api:Tokens:0:Name=engineer",
            "--Api:Tokens:0:Role=Viewer",
            $"--Api:Tokens:0:TokenFile={tokenFile}",
        };
        foreach (var section in new[] { "Receiver", "Tracker" })
        {
            settings.Add($"--{section}:ClientId=console-{section.ToLowerInvariant()}-{port.ToString(CultureInfo.InvariantCulture)}");
            settings.Add($"--{section}:Broker:Host=127.0.0.1");
            settings.Add($"--{section}:Broker:Port={receiver.Port.ToString(CultureInfo.InvariantCulture)}");
            settings.Add($"--{section}:Broker:UseTls=true");
            settings.Add($"--{section}:Broker:CaCertificatePath={receiver.CaCertificatePath}");
            settings.Add($"--{section}:Broker:ClientCertificatePath={receiver.ClientCertificatePath}");
            settings.Add($"--{section}:Broker:ClientKeyPath={receiver.ClientKeyPath}");
        }

        return [.. settings];
    }

    /// <summary>Debian's chromium (tools/test.sh installs it); Playwright cannot download its own browser here.</summary>
    internal static string FindChromium()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, "chromium");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("No 'chromium' on PATH: install Debian's package (apt-get install -y chromium; tools/test.sh does).");
    }

    internal static string ProjectDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DataCentric.Edge.FleetService.Tests.csproj")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? AppContext.BaseDirectory;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
