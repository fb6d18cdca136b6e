using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests.Drives;

/// <summary>One drive with frames recorded by the agent (<see cref="AgentDrive"/>), shared by the backtest tests that only read it.</summary>
public sealed class RecordedDriveFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("dce-drive");

    public string DrivePath { get; private set; } = string.Empty;

    public ClipContent Content { get; private set; } = null!;

    public string Folder => _dir.Path;

    public async ValueTask InitializeAsync()
    {
        DrivePath = await AgentDrive.RecordAsync(_dir.Path, TimeSpan.FromSeconds(12), frames: true);
        await using var file = File.OpenRead(DrivePath);
        Content = new McapClipReader().Read(file);
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The test classes that read the one recorded drive.</summary>
[CollectionDefinition(Name)]
public sealed class RecordedDriveCollection : ICollectionFixture<RecordedDriveFixture>
{
    public const string Name = "recorded drive";
}
