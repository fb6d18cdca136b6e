using System.Net;
using System.Text.Json;
using DataCentric.Edge.FleetService.Tests.Api;
using static DataCentric.Edge.FleetService.Tests.Api.ApiUnderTest;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

/// <summary>The clip view's endpoints: the frame index and the frames, decoded from the clip's MCAP in the object store.</summary>
public sealed class ClipFrameTests : ApiTestBase
{
    [Fact]
    public async Task FrameIndex_HasFramesSignalsBoxesAndTheTrigger_FromTheMcap()
    {
        var clip = ConsoleSamples.Clip("view-1", 12, Jpeg);
        await ConsoleSamples.AddAsync(Catalog, Store, clip);
        using var viewer = Api.Client(ViewerToken);

        var index = await JsonAsync(await viewer.GetAsync(new Uri("/api/clips/view-1/frames", UriKind.Relative), Ct));
        Assert.Equal("view-1", index.GetProperty("clip").GetProperty("clipId").GetString());
        Assert.Equal(1100, index.GetProperty("durationMs").GetDouble());
        var frames = index.GetProperty("frames");
        Assert.Equal(12, frames.GetArrayLength());
        Assert.Equal((5, 500.0, "jpeg", Jpeg(5).Length), (frames[5].GetProperty("index").GetInt32(), frames[5].GetProperty("timeMs").GetDouble(), frames[5].GetProperty("format").GetString(), frames[5].GetProperty("bytes").GetInt32()));

        var signals = index.GetProperty("signals").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["primary.brake", "shadow.obstacle"], signals.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("bool", signals["primary.brake"].GetProperty("kind").GetString());
        Assert.Equal(0.3, signals["shadow.obstacle"].GetProperty("values")[3].GetDouble(), 6);
        Assert.Equal(1.0, signals["primary.brake"].GetProperty("values")[6].GetDouble());

        var boxes = index.GetProperty("detections").EnumerateArray().Single();
        Assert.Equal("shadow.boxes", boxes.GetProperty("name").GetString());
        var sample = boxes.GetProperty("samples")[2];
        Assert.Equal(200, sample.GetProperty("timeMs").GetDouble());
        Assert.Equal(2, sample.GetProperty("boxes").GetArrayLength());
        Assert.Equal(0.12f, sample.GetProperty("boxes")[0].GetProperty("x").GetSingle(), 5);

        var trigger = index.GetProperty("events").EnumerateArray().Single();
        Assert.Equal(600, trigger.GetProperty("timeMs").GetDouble());
        Assert.Equal(ConsoleSamples.Trigger, trigger.GetProperty("triggers")[0].GetProperty("triggerId").GetString());
        Assert.Equal(ConsoleSamples.Expression, trigger.GetProperty("triggers")[0].GetProperty("expression").GetString());
        Assert.Equal(ConsoleSamples.ModelSha, index.GetProperty("metadata").GetProperty("model.sha256").GetString());
    }

    [Fact]
    public async Task Frame_IsTheCameraJpeg_Immutably()
    {
        await ConsoleSamples.AddAsync(Catalog, Store, ConsoleSamples.Clip("view-2", 4, Jpeg));
        using var viewer = Api.Client(ViewerToken);
        for (var i = 0; i < 4; i++)
        {
            using var frame = await viewer.GetAsync(new Uri($"/api/clips/view-2/frames/{i}", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, frame.StatusCode);
            Assert.Equal("image/jpeg", frame.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Jpeg(i), await frame.Content.ReadAsByteArrayAsync(Ct));
            Assert.Contains("immutable", frame.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownClip_Is404NamingIt()
    {
        using var viewer = Api.Client(ViewerToken);
        Assert.Contains("no clip 'nope'", await ProblemAsync(await viewer.GetAsync(new Uri("/api/clips/nope/frames", UriKind.Relative), Ct), HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("no clip 'nope'", await ProblemAsync(await viewer.GetAsync(new Uri("/api/clips/nope/frames/0", UriKind.Relative), Ct), HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClipWhoseObjectIsMissing_Is404SayingSo()
    {
        var clip = ConsoleSamples.Clip("lost-1", 3, Jpeg);
        var bytes = ConsoleSamples.Mcap(clip);
        await Catalog.AddClipAsync(ConsoleSamples.Catalogued(clip, "fleet1/dev-a/2026-12-05/lost-1.mcap", bytes), Ct);
        using var viewer = Api.Client(ViewerToken);
        var detail = await ProblemAsync(await viewer.GetAsync(new Uri("/api/clips/lost-1/frames", UriKind.Relative), Ct), HttpStatusCode.NotFound);
        Assert.Contains("catalogued but its bytes are not in the object store", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClipThatIsNotAnMcap_Is422SayingWhy()
    {
        var clip = ConsoleSamples.Clip("junk-1", 3, Jpeg);
        await ConsoleSamples.AddAsync(Catalog, Store, clip, fileBytes: [.. Enumerable.Repeat((byte)7, 300)]);
        using var viewer = Api.Client(ViewerToken);
        var detail = await ProblemAsync(await viewer.GetAsync(new Uri("/api/clips/junk-1/frames", UriKind.Relative), Ct), (HttpStatusCode)422);
        Assert.StartsWith("clip 'junk-1': ", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/clips/view-3/frames/x", HttpStatusCode.BadRequest, "path parameter 'frame': 'x' is not a frame number")]
    [InlineData("/api/clips/view-3/frames/-1", HttpStatusCode.BadRequest, "path parameter 'frame': '-1'")]
    [InlineData("/api/clips/view-3/frames/3", HttpStatusCode.NotFound, "path parameter 'frame': clip 'view-3' has frames 0 to 2, not 3")]
    [InlineData("/api/clips/view-3/frames?limit=1", HttpStatusCode.BadRequest, "unknown query parameter 'limit'")]
    [InlineData("/api/clips/view-3/frames/0?size=big", HttpStatusCode.BadRequest, "unknown query parameter 'size'")]
    public async Task BadFrameRequests_SayWhichPartIsWrong(string path, HttpStatusCode status, string detail)
    {
        await ConsoleSamples.AddAsync(Catalog, Store, ConsoleSamples.Clip("view-3", 3, Jpeg));
        using var viewer = Api.Client(ViewerToken);
        Assert.Contains(detail, await ProblemAsync(await viewer.GetAsync(new Uri(path, UriKind.Relative), Ct), status), StringComparison.Ordinal);
    }

    /// <summary>Bytes that stand for frame i (the endpoint serves them as stored; the browser test uses real JPEGs).</summary>
    private static byte[] Jpeg(int i) => [0xFF, 0xD8, 0xFF, (byte)i, (byte)(i * 7), 0xFF, 0xD9];
}
