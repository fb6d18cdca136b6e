using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests.Commands;

/// <summary>
/// <c>recordDrive</c> over a real broker: what reaches the device's drive recorder, and each request
/// it refuses (the recorder itself is tested with the agent, in DataCentric.Edge.Cli.Tests/Drives).
/// </summary>
[Trait("Category", "Integration")]
public sealed class RecordDriveCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);
    private readonly RecordingTwin _drives = new();
    private UplinkFixture _f = null!;
    private FleetClient _operator = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _f = await UplinkFixture.StartAsync();
        _ = new DeviceCommands(new CommandDependencies(_f.Connection, _f.Catalog, new UploadRequests(), new CommandOptions(), TimeProvider.System) { Drives = _drives });
        Assert.True(await _f.Connection.EnsureConnectedAsync(Token));
        _operator = new FleetClient(_f.Options, _f.Endpoint);
        await _operator.ConnectAsync(Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _f.DisposeAsync();
    }

    [Fact]
    public async Task RecordDrive_StartsTheRecorder_WithTheMinutesAndFramesAsked_AndAnswersWhereTheDriveGoes()
    {
        var reply = await SendAsync(new CommandRequest(CommandNames.RecordDrive) { Minutes = 2.5, Frames = true });

        Assert.True(reply.Ok, reply.Error);
        Assert.Equal((TimeSpan.FromMinutes(2.5), true), Assert.Single(_drives.Started));
        var result = reply.Result!.Value.Deserialize<DriveRecordingResult>(UplinkJson.Options)!;
        Assert.Equal("/data/drives/d.mcap", result.Path);
    }

    [Theory]
    [InlineData(null, "'minutes' is required")]
    [InlineData(0.0, "'minutes' must be a positive number, not 0")]
    [InlineData(-1.0, "'minutes' must be a positive number, not -1")]
    [InlineData(9999.0, "the twin refuses 9999 minutes")]
    public async Task RecordDrive_BadRequests_AreRefusedWithTheReason_AndStartNothing(double? minutes, string expected)
    {
        var reply = await SendAsync(new CommandRequest(CommandNames.RecordDrive) { Minutes = minutes });

        Assert.False(reply.Ok);
        Assert.Equal(expected, reply.Error);
        Assert.Empty(_drives.Started);
    }

    private Task<CommandReply> SendAsync(CommandRequest request) =>
        _operator.SendAsync(_f.Topics.Fleet, _f.Topics.Device, request, AnswerTimeout, Token);

    /// <summary>Stands in for the agent's drive recorder: notes what it was asked, refuses more than 1000 minutes.</summary>
    private sealed class RecordingTwin : IDriveRecorder
    {
        public List<(TimeSpan Duration, bool Frames)> Started { get; } = [];

        public DriveRecordingResult Start(TimeSpan duration, bool keepFrames)
        {
            if (duration > TimeSpan.FromMinutes(1000))
            {
                throw new DriveRefusedException($"the twin refuses {duration.TotalMinutes} minutes");
            }

            Started.Add((duration, keepFrames));
            var from = DateTimeOffset.UnixEpoch;
            return new DriveRecordingResult("d", "/data/drives/d.mcap", from, from + duration, keepFrames, 1024);
        }
    }
}
