using System.Net;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.TestKit;
using static DataCentric.Edge.FleetService.Tests.Api.ApiUnderTest;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

/// <summary>The clip view's MP4 download: the clip's JPEG frames from its MCAP, encoded by the real ffmpeg.</summary>
public sealed class ClipMp4Tests : ApiTestBase, IAsyncDisposable
{
    private const int Frames = 12;
    private readonly TempDirectory _dir = new("dce-clip-mp4");

    [Fact]
    public async Task Mp4_IsH264WithEveryCameraFrame_AtTheClipsRate_AsAnAttachment()
    {
        var jpegs = await Mp4Tools.RenderJpegsAsync(_dir.Combine("frames"), Frames, Ct);
        await ConsoleSamples.AddAsync(Catalog, Store, ConsoleSamples.Clip("video-1", Frames, i => jpegs[i], 320, 240));
        using var viewer = Api.Client(ViewerToken);

        using var response = await viewer.GetAsync(new Uri("/api/console/clips/video-1/mp4", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("video-1.mp4", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var mp4 = _dir.Combine("video-1.mp4");
        await File.WriteAllBytesAsync(mp4, bytes, Ct);

        var stream = await Mp4Tools.ProbeAsync(mp4, Ct);
        Assert.Equal("h264", stream["codec_name"]);
        Assert.Equal("yuv420p", stream["pix_fmt"]);
        Assert.Equal(Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), stream["nb_read_frames"]);
        Assert.Equal("10/1", stream["r_frame_rate"]); // the frames are 100 ms apart in the MCAP

        // faststart: the index (moov) comes before the media (mdat).
        var moov = bytes.AsSpan().IndexOf("moov"u8);
        var mdat = bytes.AsSpan().IndexOf("mdat"u8);
        Assert.True(moov >= 0 && moov < mdat, $"moov at {moov}, mdat at {mdat}");
    }

    [Fact]
    public async Task Mp4_NeedsAToken_AndTheViewerRoleIsEnough()
    {
        var jpegs = await Mp4Tools.RenderJpegsAsync(_dir.Combine("frames"), 3, Ct);
        await ConsoleSamples.AddAsync(Catalog, Store, ConsoleSamples.Clip("video-2", 3, i => jpegs[i], 320, 240));
        var path = new Uri("/api/console/clips/video-2/mp4", UriKind.Relative);
        using (var anonymous = Api.Client())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path, Ct)).StatusCode);
        }

        using (var stranger = Api.Client("not-a-token-0123456789abcdef"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(path, Ct)).StatusCode);
        }

        foreach (var token in new[] { ViewerToken, OperatorToken })
        {
            using var client = Api.Client(token);
            using var response = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task UnknownClip_Is404NamingIt()
    {
        using var viewer = Api.Client(ViewerToken);
        var detail = await ProblemAsync(await viewer.GetAsync(new Uri("/api/console/clips/nope/mp4", UriKind.Relative), Ct), HttpStatusCode.NotFound);
        Assert.Contains("no clip 'nope'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClipWhoseObjectIsMissing_Is404SayingSo()
    {
        var clip = ConsoleSamples.Clip("lost-2", 3, i => [0xFF, 0xD8, 0xFF, 0xD9]);
        await Catalog.AddClipAsync(ConsoleSamples.Catalogued(clip, "fleet1/dev-a/2026-12-05/lost-2.mcap", ConsoleSamples.Mcap(clip)), Ct);
        using var viewer = Api.Client(ViewerToken);
        var detail = await ProblemAsync(await viewer.GetAsync(new Uri("/api/console/clips/lost-2/mp4", UriKind.Relative), Ct), HttpStatusCode.NotFound);
        Assert.Contains("clip 'lost-2' is catalogued but its bytes are not in the object store", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClipWithoutCameraFrames_Is422NamingIt()
    {
        // Signals, boxes and the trigger of a 3-frame clip, without the frames.
        await ConsoleSamples.AddAsync(Catalog, Store, ConsoleSamples.Clip("signals-only", 3, i => []) with { Frames = [] });
        using var viewer = Api.Client(ViewerToken);
        var detail = await ProblemAsync(await viewer.GetAsync(new Uri("/api/console/clips/signals-only/mp4", UriKind.Relative), Ct), (HttpStatusCode)422);
        Assert.Equal("clip 'signals-only' has no camera frames to encode", detail);
    }

    [Theory]
    [InlineData("?camera=rear", (HttpStatusCode)422, "clip 'video-3' has no frames from camera 'rear'")]
    [InlineData("?size=big", HttpStatusCode.BadRequest, "unknown query parameter 'size'")]
    public async Task BadMp4Requests_SayWhatIsWrong(string query, HttpStatusCode status, string detail)
    {
        await ConsoleSamples.AddAsync(Catalog, Store, ConsoleSamples.Clip("video-3", 3, i => [0xFF, 0xD8, 0xFF, 0xD9]));
        using var viewer = Api.Client(ViewerToken);
        var answer = await ProblemAsync(await viewer.GetAsync(new Uri("/api/console/clips/video-3/mp4" + query, UriKind.Relative), Ct), status);
        Assert.Contains(detail, answer, StringComparison.Ordinal);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        _dir.Dispose();
    }
}
