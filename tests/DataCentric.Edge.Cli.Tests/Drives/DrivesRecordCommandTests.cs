using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Agent;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Cli.Tests.Drives;

/// <summary>
/// <c>edgectl drives record</c>: the <c>recordDrive</c> command through a real mosquitto to a
/// running agent (its run configuration, simulated sources), which records the drive on its disk.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DrivesRecordCommandTests : IAsyncLifetime
{
    private const string Fleet = "fleet-drives";
    private const string Device = "board-7";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);

    private readonly TempDirectory _dir = new("dce-drives-cmd");
    private MosquittoBroker _broker = null!;
    private IHost _agent = null!;

    public async ValueTask InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var commandLine = new AgentCommandLine(AgentMode.Run, TimeSpan.Zero, string.Empty, null, _dir.Combine("data"));
        var configuration = AgentHost.BuildConfiguration(commandLine, new Dictionary<string, string?>
        {
            ["Agent:Fleet"] = Fleet,
            ["Agent:DeviceId"] = Device,
            ["Uplink:Port"] = _broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Drives:Directory"] = Drives,
            ["Drives:MaxDuration"] = "00:30:00",
        });
        var errors = AgentConfiguration.Validate(configuration);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        _agent = AgentHost.Build(commandLine, configuration, TextWriter.Null);
        await _agent.StartAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(async () => (await Edgectl.RunAsync(["devices", "ping", Device, .. Common])).Exit == 0, "the agent answers a ping");
    }

    [Fact]
    public async Task DrivesRecord_TheDeviceRecordsItsNextMinutes_WithFrames_IntoItsDriveFolder()
    {
        var (exit, output, error) = await Edgectl.RunAsync(["drives", "record", "--device", Device, "--minutes", "0.08", "--frames", "--json", .. Common]);

        Assert.True(exit == 0, error);
        var started = JsonSerializer.Deserialize<DriveRecordingResult>(output, UplinkJson.Options)!;
        Assert.True(started.Frames);
        Assert.Equal(Drives, Path.GetDirectoryName(started.Path));
        Assert.Equal(TimeSpan.FromMinutes(0.08), started.To - started.From);
        Assert.True(started.BudgetBytes > 0);

        // While it records, a second request is refused with the reason, through edgectl.
        var (busy, _, busyError) = await Edgectl.RunAsync(["drives", "record", "--device", Device, "--minutes", "1", .. Common]);
        Assert.Equal(1, busy);
        Assert.Contains($"refused 'recordDrive': drive {started.DriveId} is already recording", busyError, StringComparison.Ordinal);

        await WaitUntilAsync(() => Task.FromResult(File.Exists(started.Path)), "the drive file is complete");
        ClipContent drive;
        await using (var file = File.OpenRead(started.Path))
        {
            drive = new McapClipReader().Read(file);
        }

        Assert.NotEmpty(drive.Frames);
        Assert.Contains(drive.Signals, s => s.Name == "shadow.obstacle");
        Assert.Equal("completed", drive.Metadata[DriveMetadataKeys.StopReason]);
        Assert.Equal(Device, drive.Metadata["device.id"]);
        Assert.Empty(Directory.GetFiles(Drives, "*.tmp"));
    }

    [Theory]
    [InlineData("100000", "at most 30 minutes (Drives:MaxDuration), not 100000")]
    public async Task DrivesRecord_BeyondTheDevicesLimit_IsRefusedByTheDevice_NamingIt(string minutes, string expected)
    {
        var (exit, output, error) = await Edgectl.RunAsync(["drives", "record", "--device", Device, "--minutes", minutes, .. Common]);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains($"{Fleet}/{Device} refused 'recordDrive': a drive lasts more than 0 and {expected}", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Drives) && Directory.GetFiles(Drives).Length > 0);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public async Task DrivesRecord_WithMinutesNotPositive_IsAUsageError_AndSendsNothing(string minutes)
    {
        var (exit, _, error) = await Edgectl.RunAsync(["drives", "record", "--device", Device, "--minutes", minutes, .. Common]);

        Assert.Equal(2, exit);
        Assert.Contains("--minutes must be a positive number of minutes", error, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.StopAsync(CancellationToken.None);
        _agent.Dispose();
        await _broker.DisposeAsync();
        _dir.Dispose();
    }

    private string Drives => _dir.Combine("drives");

    private string[] Common => ["--broker", $"127.0.0.1:{_broker.Port.ToString(CultureInfo.InvariantCulture)}", "--fleet", Fleet, "--timeout", "00:00:10"];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Timeout);
        while (!await condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"timed out waiting until {what}");

            // Polls a condition the agent changes; bounded by the deadline.
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
