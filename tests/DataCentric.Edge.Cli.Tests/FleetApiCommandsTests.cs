using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Tests;

/// <summary>edgectl's fleet-wide searches against a real dce-fleet API in-process.</summary>
[Trait("Category", "Integration")]
public sealed class FleetApiCommandsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ClipsSearch_PrintsATable_FilteredByDevice_AndTheNextCursorOnStderr()
    {
        await using var api = await FleetApiUnderTest.StartAsync();
        await api.AddClipAsync("c1", "cam-1", T0, "brake");
        await api.AddClipAsync("c2", "cam-1", T0.AddMinutes(1), "swerve");
        await api.AddClipAsync("c3", "cam-2", T0.AddMinutes(2), "brake");

        var search = await Edgectl.RunAsync(["clips", "search", "--device", "cam-1", "--limit", "1", .. api.Common]);

        Assert.True(search.Exit == 0, search.Error);
        var lines = search.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^CLIP\s+DEVICE\s+START\s+SECONDS\s+BYTES\s+TRIGGERS$", lines[0]);
        Assert.Matches(@"^c2\s+acme/cam-1\s+2026-12-05 10:01:00Z\s+20\.0\s+1000\s+swerve$", Assert.Single(lines[1..]));
        var after = Assert.Single(System.Text.RegularExpressions.Regex.Matches(search.Error, @"--after (\S+)")).Groups[1].Value;

        var next = await Edgectl.RunAsync(["clips", "search", "--device", "cam-1", "--after", after, .. api.Common]);
        Assert.Contains("c1", next.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("c2", next.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--after", next.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClipsSearchJson_IsThePage_WithEveryMatchingClip()
    {
        await using var api = await FleetApiUnderTest.StartAsync();
        await api.AddClipAsync("c1", "cam-1", T0, "brake");
        await api.AddClipAsync("c2", "cam-1", T0.AddMinutes(1), "swerve");
        await api.AddClipAsync("c3", "cam-2", T0.AddMinutes(2), "brake");

        var search = await Edgectl.RunAsync(["clips", "search", "--trigger", "brake", "--from", "2026-12-05T09:00:00Z", "--json", .. api.Common]);

        Assert.True(search.Exit == 0, search.Error);
        using var page = JsonDocument.Parse(search.Output);
        Assert.Equal(["c3", "c1"], page.RootElement.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("clipId").GetString()));
        Assert.Equal(JsonValueKind.Null, page.RootElement.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task EventsSearch_AndClipsLsWithApi_ReadTheFleetCatalog()
    {
        await using var api = await FleetApiUnderTest.StartAsync();
        await api.Catalog.AddEventAsync("acme", "cam-1", new EventSummary("e1", ["brake"], T0, 5, false, 3, "c1"), T0, TestContext.Current.CancellationToken);
        await api.Catalog.AddEventAsync("acme", "cam-2", new EventSummary("e2", ["brake"], T0.AddMinutes(1), 5, true, 3, null), T0, TestContext.Current.CancellationToken);
        await api.AddClipAsync("c1", "cam-1", T0, "brake");

        var events = await Edgectl.RunAsync(["events", "search", "--fleet", "acme", .. api.Common]);
        var ls = await Edgectl.RunAsync(["clips", "ls", "--fleet", "acme", "--device", "cam-1", .. api.Common]);

        Assert.True(events.Exit == 0, events.Error);
        Assert.Matches(@"(?m)^e2\s+acme/cam-2\s+2026-12-05 10:01:00Z\s+brake\s+3\s+\(dry run\)$", events.Output);
        Assert.Matches(@"(?m)^e1\s+acme/cam-1\s+2026-12-05 10:00:00Z\s+brake\s+3\s+c1$", events.Output);
        Assert.True(ls.Exit == 0, ls.Error);
        Assert.Matches(@"(?m)^c1\s+acme/cam-1\s", ls.Output);
    }

    [Fact]
    public async Task ClipsLink_PrintsAUrlThatWorksWithoutAToken_AndTheFoxgloveLink()
    {
        await using var api = await FleetApiUnderTest.StartAsync();
        var bytes = await api.AddClipAsync("c1", "cam-1", T0, "brake", 5000);

        var link = await Edgectl.RunAsync(["clips", "link", "c1", .. api.Common]);

        Assert.True(link.Exit == 0, link.Error);
        var url = System.Text.RegularExpressions.Regex.Match(link.Output, @"(?m)^url:\s+(\S+)$").Groups[1].Value;
        var foxglove = System.Text.RegularExpressions.Regex.Match(link.Output, @"(?m)^foxglove:\s+(\S+)$").Groups[1].Value;
        using var anonymous = new HttpClient();
        Assert.Equal(bytes, await anonymous.GetByteArrayAsync(new Uri(url), TestContext.Current.CancellationToken));
        Assert.Equal($"https://app.foxglove.dev/view?ds=remote-file&ds.url={Uri.EscapeDataString(url)}", foxglove);
    }

    [Fact]
    public async Task WrongToken_Fails_NamingTheTokenFileAnd401()
    {
        await using var api = await FleetApiUnderTest.StartAsync();
        var wrong = api.Dir.Combine("wrong.token");
        await File.WriteAllTextAsync(wrong, "not-the-token-at-all", TestContext.Current.CancellationToken);

        var search = await Edgectl.RunAsync("clips", "search", "--api", api.Url, "--token-file", wrong);

        Assert.Equal(1, search.Exit);
        Assert.Contains($"refused the token in {wrong} (401)", search.Error, StringComparison.Ordinal);
        Assert.Empty(search.Output);
    }

    [Fact]
    public async Task BadTime_Fails_WithTheServersMessage()
    {
        await using var api = await FleetApiUnderTest.StartAsync();

        var search = await Edgectl.RunAsync(["events", "search", "--from", "yesterday", .. api.Common]);

        Assert.Equal(1, search.Exit);
        Assert.Contains("the fleet API refused the request: query parameter 'from': 'yesterday' is not a time", search.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableApi_Fails_SayingWhere()
    {
        await using var api = await FleetApiUnderTest.StartAsync();
        var closed = ClosedPort();

        var search = await Edgectl.RunAsync("clips", "search", "--api", closed, "--token-file", api.TokenFile);

        Assert.Equal(1, search.Exit);
        Assert.Contains($"cannot reach the fleet API at {closed}/", search.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoTokenFile_IsAUsageError()
    {
        var search = await Edgectl.RunAsync("clips", "search", "--api", "http://127.0.0.1:8480", "--token-file", "/nonexistent/token");

        Assert.Equal(EdgectlApp.UsageError, search.Exit);
        Assert.Contains("token file /nonexistent/token does not exist", search.Error, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    private static string ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
    }
}
