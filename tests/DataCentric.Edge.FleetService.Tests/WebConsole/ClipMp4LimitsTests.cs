using System.Net;
using System.Runtime.Versioning;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.TestKit;
using static DataCentric.Edge.FleetService.Tests.Api.ApiUnderTest;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

/// <summary>The MP4 download when ffmpeg is not where <c>Console:FfmpegPath</c> says: a 503 naming the option.</summary>
public sealed class ClipMp4WithoutFfmpegTests : ApiTestBase, IAsyncDisposable
{
    private readonly TempDirectory _dir = new("dce-clip-mp4-none");

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Console:FfmpegPath"] = _dir.Combine("no-such-ffmpeg"),
    };

    [Fact]
    public async Task MissingFfmpeg_Is503NamingTheOption()
    {
        await ConsoleSamples.AddAsync(Catalog, Store, ConsoleSamples.Clip("video-4", 3, i => [0xFF, 0xD8, 0xFF, 0xD9]));
        using var viewer = Api.Client(ViewerToken);
        var detail = await ProblemAsync(await viewer.GetAsync(new Uri("/api/console/clips/video-4/mp4", UriKind.Relative), Ct), HttpStatusCode.ServiceUnavailable);
        Assert.Equal($"ffmpeg could not be started ('{_dir.Combine("no-such-ffmpeg")}'): install ffmpeg or set Console:FfmpegPath to its path", detail);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>
/// <c>Console:MaxMp4Encodes</c> = 1 with an ffmpeg that waits at a gate (a script that runs the real ffmpeg
/// once the test opens it): a second download while the first encodes is 429, and the slot comes back.
/// </summary>
[UnsupportedOSPlatform("windows")] // the gate is a shell script
public sealed class ClipMp4BusyTests : ApiTestBase, IAsyncDisposable
{
    private readonly TempDirectory _dir = new("dce-clip-mp4-busy");

    public ClipMp4BusyTests()
    {
        var script = _dir.Combine("gated-ffmpeg");
        File.WriteAllText(script, $"""
            #!/bin/sh
            touch '{_dir.Combine("started")}'
            while [ ! -f '{_dir.Combine("open")}' ]; do sleep 0.05; done
            exec ffmpeg "$@"

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Console:FfmpegPath"] = _dir.Combine("gated-ffmpeg"),
        ["Console:MaxMp4Encodes"] = "1",
    };

    [Fact]
    public async Task SecondEncodeWhileOneRuns_Is429_AndTheSlotComesBack()
    {
        var jpegs = await Mp4Tools.RenderJpegsAsync(_dir.Combine("frames"), 3, Ct);
        await ConsoleSamples.AddAsync(Catalog, Store, ConsoleSamples.Clip("video-5", 3, i => jpegs[i], 320, 240));
        var path = new Uri("/api/console/clips/video-5/mp4", UriKind.Relative);
        using var viewer = Api.Client(ViewerToken);

        var first = viewer.GetAsync(path, Ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(_dir.Combine("started")))
        {
            Assert.True(DateTime.UtcNow < deadline, "the first encode's ffmpeg never started");
            await Task.Delay(20, Ct);
        }

        var detail = await ProblemAsync(await viewer.GetAsync(path, Ct), HttpStatusCode.TooManyRequests);
        Assert.Contains("1 MP4 encodes are running (Console:MaxMp4Encodes)", detail, StringComparison.Ordinal);

        await File.WriteAllTextAsync(_dir.Combine("open"), string.Empty, Ct);
        using (var done = await first)
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        using var again = await viewer.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        _dir.Dispose();
    }
}
