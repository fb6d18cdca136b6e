using DataCentric.Edge.FleetService.Catalog;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>
/// What every <see cref="IFleetCatalog"/> must do, run against each implementation by a subclass
/// (PostgreSQL on a real server, LiteDB on a real file). Each test gets an empty catalog.
/// </summary>
public abstract partial class FleetCatalogContractTests : IAsyncLifetime
{
    private IFleetCatalog? _catalog;

    protected IFleetCatalog Catalog => _catalog ?? throw new InvalidOperationException("No catalog yet.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _catalog = await CreateCatalogAsync();

    public async ValueTask DisposeAsync()
    {
        await DisposeCatalogAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A new, empty catalog for one test.</summary>
    protected abstract Task<IFleetCatalog> CreateCatalogAsync();

    protected abstract ValueTask DisposeCatalogAsync();

    [Fact]
    public async Task AddClip_ThenGet_ReturnsEveryField_TimesToTheMicrosecond()
    {
        var clip = Clip("c1", triggers: ["brake-disagree", "swerve"]);

        Assert.Equal(CatalogWrite.Added, await Catalog.AddClipAsync(clip, Ct));

        var held = await Catalog.GetClipAsync("c1", Ct);
        Assert.NotNull(held);
        string[] lists = [];
        Assert.Equal(
            clip with { TriggerIds = lists, Labels = lists, StartWall = Stored(clip.StartWall), EndWall = Stored(clip.EndWall), ReceivedAt = Stored(clip.ReceivedAt) },
            held with { TriggerIds = lists, Labels = lists });
        Assert.Equal(["brake-disagree", "swerve"], held.TriggerIds);
        Assert.Equal(TimeSpan.Zero, held.StartWall.Offset);
        Assert.Null(await Catalog.GetClipAsync("nope", Ct));
    }

    [Fact]
    public async Task AddClip_Replayed_IsAlreadyPresent_AndKeepsTheFirstCopy()
    {
        var first = Clip("c1");
        await Catalog.AddClipAsync(first, Ct);

        var replay = first with { ReceivedAt = first.ReceivedAt.AddHours(1), ObjectKey = "elsewhere" };
        Assert.Equal(CatalogWrite.AlreadyPresent, await Catalog.AddClipAsync(replay, Ct));

        var held = await Catalog.GetClipAsync("c1", Ct);
        Assert.Equal(first.ObjectKey, held!.ObjectKey);
        Assert.Equal(Stored(first.ReceivedAt), held.ReceivedAt);
        Assert.Single((await Catalog.ListClipsAsync(new ClipQuery(), Ct)).Items);
    }

    [Fact]
    public async Task AddClip_SameIdOtherContentOrDevice_IsConflict_AndChangesNothing()
    {
        await Catalog.AddClipAsync(Clip("c1"), Ct);

        Assert.Equal(CatalogWrite.Conflict, await Catalog.AddClipAsync(Clip("c1") with { Sha256 = Sha("other") }, Ct));
        Assert.Equal(CatalogWrite.Conflict, await Catalog.AddClipAsync(Clip("c1", device: "cam-2"), Ct));

        var held = await Catalog.GetClipAsync("c1", Ct);
        Assert.Equal(Sha("c1"), held!.Sha256);
        Assert.Equal("cam-1", held.Device);
    }

    [Fact]
    public async Task Ids_AreCaseSensitive_AndTiesSortByteWise()
    {
        Assert.Equal(CatalogWrite.Added, await Catalog.AddClipAsync(Clip("clip-a"), Ct));
        Assert.Equal(CatalogWrite.Added, await Catalog.AddClipAsync(Clip("Clip-A") with { Sha256 = Sha("upper") }, Ct));
        Assert.Equal(CatalogWrite.Added, await Catalog.AddClipAsync(Clip("clip-B"), Ct));

        Assert.Equal(Sha("upper"), (await Catalog.GetClipAsync("Clip-A", Ct))?.Sha256);
        Assert.Equal(["clip-a", "clip-B", "Clip-A"], await ClipIds(new ClipQuery()));
        Assert.Equal(["clip-a", "clip-B"], await ClipIds(new ClipQuery { Limit = 2 }));
    }

    [Fact]
    public async Task AddClip_SameIdFromManyReceiversAtOnce_LeavesOneRow_AddedOnce()
    {
        var clip = Clip("c-race");
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 8).Select(_ => Task.Run(
            async () =>
            {
                start.Wait(Ct);
                return await Catalog.AddClipAsync(clip, Ct);
            },
            Ct)).ToArray();
        start.Set();
        var outcomes = await Task.WhenAll(racers);

        Assert.Equal(1, outcomes.Count(o => o == CatalogWrite.Added));
        Assert.Equal(7, outcomes.Count(o => o == CatalogWrite.AlreadyPresent));
        Assert.Single((await Catalog.ListClipsAsync(new ClipQuery(), Ct)).Items);
    }

    [Fact]
    public async Task AddEvent_Replayed_IsAlreadyPresent_AndAReplayWithTheClipLinksIt()
    {
        Assert.Equal(CatalogWrite.Added, await Catalog.AddEventAsync("acme", "cam-1", Event("e1"), T0, Ct));
        Assert.Equal(CatalogWrite.AlreadyPresent, await Catalog.AddEventAsync("acme", "cam-1", Event("e1"), T0.AddSeconds(1), Ct));
        Assert.Equal(CatalogWrite.AlreadyPresent, await Catalog.AddEventAsync("acme", "cam-1", Event("e1", clipId: "c1"), T0.AddSeconds(2), Ct));
        Assert.Equal(CatalogWrite.AlreadyPresent, await Catalog.AddEventAsync("acme", "cam-1", Event("e1", clipId: "c-other"), T0.AddSeconds(3), Ct));
        Assert.Equal(CatalogWrite.Conflict, await Catalog.AddEventAsync("acme", "cam-2", Event("e1"), T0, Ct));

        var e = Assert.Single((await Catalog.ListEventsAsync(new EventQuery(), Ct)).Items);
        Assert.Equal(
            new CatalogEvent("e1", "acme", "cam-1", e.TriggerIds, Stored(T0), 5, false, 3, "c1", Stored(T0)),
            e);
        Assert.Equal(["brake-disagree"], e.TriggerIds);
    }

    [Fact]
    public async Task ListClips_PagesInAStableOrder_EveryClipOnce_EvenWhenNewerClipsArriveMeanwhile()
    {
        // 23 clips over 8 start times: ties are broken by clip id, so the order is total.
        var clips = Enumerable.Range(0, 23).Select(i => Clip($"c{i:D2}", T0.AddSeconds(i % 8))).ToList();
        foreach (var clip in clips.OrderBy(_ => Guid.NewGuid()))
        {
            await Catalog.AddClipAsync(clip, Ct);
        }

        var expected = clips.OrderByDescending(c => c.StartWall).ThenByDescending(c => c.ClipId, StringComparer.Ordinal).Select(c => c.ClipId).ToList();
        var seen = new List<string>();
        var query = new ClipQuery { Limit = 5 };
        var pages = 0;
        do
        {
            var page = await Catalog.ListClipsAsync(query, Ct);
            Assert.True(page.Items.Count <= 5);
            seen.AddRange(page.Items.Select(c => c.ClipId));
            query = query with { After = page.Next };
            if (++pages == 2)
            {
                // Newer than everything (lands before the cursor) and a tie with a listed time.
                await Catalog.AddClipAsync(Clip("z-new", T0.AddHours(1)), Ct);
                await Catalog.AddClipAsync(Clip("a-tie", T0.AddSeconds(7)), Ct);
            }
        }
        while (query.After is not null);

        Assert.Equal(5, pages);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task ListEvents_PagesNewestFirst_EveryEventOnce()
    {
        var events = Enumerable.Range(0, 17).Select(i => Event($"e{i:D2}", T0.AddMilliseconds(i % 5))).ToList();
        foreach (var e in events)
        {
            await Catalog.AddEventAsync("acme", "cam-1", e, T0, Ct);
        }

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await Catalog.ListEventsAsync(new EventQuery { Limit = 4, After = after }, Ct);
            seen.AddRange(page.Items.Select(e => e.EventId));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(
            events.OrderByDescending(e => e.WallClock).ThenByDescending(e => e.EventId, StringComparer.Ordinal).Select(e => e.EventId),
            seen);
    }

    [Fact]
    public async Task ListClips_FiltersByFleetDeviceTriggerModelAndWindow()
    {
        var modelA = Sha("model-a");
        var modelB = Sha("model-b");
        await Catalog.AddClipAsync(Clip("a1", T0, triggers: ["brake"], model: modelA), Ct);
        await Catalog.AddClipAsync(Clip("a2", T0.AddMinutes(10), triggers: ["brake", "swerve"], model: $"{modelA},{modelB}"), Ct);
        await Catalog.AddClipAsync(Clip("a3", T0.AddMinutes(20), device: "cam-2", triggers: ["swerve"], model: modelB), Ct);
        await Catalog.AddClipAsync(Clip("b1", T0.AddMinutes(10), fleet: "other", triggers: ["brake"]), Ct);

        Assert.Equal(["a3", "a2", "a1"], await ClipIds(new ClipQuery { Fleet = "acme" }));
        Assert.Equal(["a2", "a1"], await ClipIds(new ClipQuery { Fleet = "acme", Device = "cam-1" }));
        Assert.Equal(["b1", "a2", "a1"], await ClipIds(new ClipQuery { TriggerId = "brake" }));
        Assert.Equal(["a3", "a2"], await ClipIds(new ClipQuery { ModelSha256 = modelB }));
        Assert.Empty(await ClipIds(new ClipQuery { TriggerId = "brak" }));

        // A clip is in the window when it overlaps it: a1 runs T0 to T0+20 s.
        Assert.Equal(["a1"], await ClipIds(new ClipQuery { Fleet = "acme", From = T0.AddSeconds(19), To = T0.AddMinutes(10) }));
        Assert.Equal(["a3", "a2"], await ClipIds(new ClipQuery { Fleet = "acme", From = T0.AddSeconds(21) }));
        Assert.Equal(["a2"], await ClipIds(new ClipQuery { Fleet = "acme", TriggerId = "swerve", To = T0.AddMinutes(15) }));
    }

    [Fact]
    public async Task ListEvents_FiltersByFleetDeviceTriggerDryRunAndWindow()
    {
        await Catalog.AddEventAsync("acme", "cam-1", Event("e1", T0, ["brake"]), T0, Ct);
        await Catalog.AddEventAsync("acme", "cam-1", Event("e2", T0.AddMinutes(1), ["brake", "swerve"], dryRun: true), T0, Ct);
        await Catalog.AddEventAsync("acme", "cam-2", Event("e3", T0.AddMinutes(2), ["swerve"]), T0, Ct);
        await Catalog.AddEventAsync("other", "cam-1", Event("e4", T0.AddMinutes(3), ["brake"]), T0, Ct);

        Assert.Equal(["e3", "e2", "e1"], await EventIds(new EventQuery { Fleet = "acme" }));
        Assert.Equal(["e4", "e2", "e1"], await EventIds(new EventQuery { Device = "cam-1" }));
        Assert.Equal(["e3", "e2"], await EventIds(new EventQuery { TriggerId = "swerve" }));
        Assert.Equal(["e2"], await EventIds(new EventQuery { DryRun = true }));
        Assert.Equal(["e4", "e3", "e1"], await EventIds(new EventQuery { DryRun = false }));

        // [From, To): the event at From is in, the one at To is out.
        Assert.Equal(["e3", "e2"], await EventIds(new EventQuery { From = T0.AddMinutes(1), To = T0.AddMinutes(3) }));
    }

    [Fact]
    public async Task TriggerCounters_ReplayingAReport_ChangesNothing()
    {
        var report = Counters(10, [("brake", 3, 1)]);
        Assert.Equal(CatalogWrite.Added, await Catalog.RecordTriggerCountersAsync(report, Ct));
        var before = await Catalog.ListTriggerCountsAsync(new TriggerCountQuery("acme"), Ct);

        Assert.Equal(CatalogWrite.AlreadyPresent, await Catalog.RecordTriggerCountersAsync(report, Ct));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Catalog.RecordTriggerCountersAsync(report, Ct)));

        Assert.Equal(before, await Catalog.ListTriggerCountsAsync(new TriggerCountQuery("acme"), Ct));
        Assert.Equal(
            [
                ("brake", Hour0, TriggerCountKinds.Evaluations, 30L),
                ("brake", Hour0, TriggerCountKinds.Fires, 3L),
                ("brake", Hour0, TriggerCountKinds.SuppressedCooldown, 1L),
            ],
            before.Select(c => (c.TriggerId, c.BucketStart, c.Kind, c.Count)));
    }

    [Fact]
    public async Task TriggerCounters_TwoReports_CountTheDifference_PerBucket()
    {
        await Catalog.RecordTriggerCountersAsync(Counters(10, [("brake", 3, 1), ("swerve", 0, 0)]), Ct);
        await Catalog.RecordTriggerCountersAsync(Counters(50, [("brake", 5, 1), ("swerve", 2, 0)]), Ct);
        await Catalog.RecordTriggerCountersAsync(Counters(70, [("brake", 9, 4), ("swerve", 2, 0)]), Ct);
        await Catalog.RecordTriggerCountersAsync(Counters(20, [("brake", 1, 0)], device: "cam-2"), Ct);

        var fires = await Catalog.ListTriggerCountsAsync(new TriggerCountQuery("acme") { Kind = TriggerCountKinds.Fires }, Ct);
        Assert.Equal(
            [
                ("cam-1", "brake", Hour0, 5L),
                ("cam-1", "swerve", Hour0, 2L),
                ("cam-2", "brake", Hour0, 1L),
                ("cam-1", "brake", Hour0.AddHours(1), 4L),
            ],
            fires.Select(c => (c.Device, c.TriggerId, c.BucketStart, c.Count)));

        // The second hour alone still takes its difference from the first hour's last report.
        var secondHour = await Catalog.ListTriggerCountsAsync(
            new TriggerCountQuery("acme") { Device = "cam-1", TriggerId = "brake", From = Hour0.AddHours(1), To = Hour0.AddHours(2) }, Ct);
        Assert.Equal(
            [(TriggerCountKinds.Evaluations, 40L), (TriggerCountKinds.Fires, 4L), (TriggerCountKinds.SuppressedCooldown, 3L)],
            secondHour.Select(c => (c.Kind, c.Count)));

        var tenMinutes = await Catalog.ListTriggerCountsAsync(
            new TriggerCountQuery("acme") { Device = "cam-1", TriggerId = "brake", Kind = TriggerCountKinds.Fires, Bucket = TimeSpan.FromMinutes(10) }, Ct);
        Assert.Equal(
            [(Hour0.AddMinutes(10), 3L), (Hour0.AddMinutes(50), 2L), (Hour0.AddMinutes(70), 4L)],
            tenMinutes.Select(c => (c.BucketStart, c.Count)));
        Assert.Empty(await Catalog.ListTriggerCountsAsync(new TriggerCountQuery("other"), Ct));
        Assert.Equal(2, (await Catalog.ListTriggerCountsAsync(new TriggerCountQuery("acme") { Limit = 2 }, Ct)).Count);
    }

    [Fact]
    public async Task TriggerCounters_ARestart_CountsItsFirstReportFromZero()
    {
        await Catalog.RecordTriggerCountersAsync(Counters(10, [("brake", 3, 0)]), Ct);
        await Catalog.RecordTriggerCountersAsync(Counters(20, [("brake", 7, 0)]), Ct);

        // The agent restarted at minute 25: its counts start again below the old ones.
        await Catalog.RecordTriggerCountersAsync(Counters(30, [("brake", 2, 0)], startedMinutes: 25), Ct);
        await Catalog.RecordTriggerCountersAsync(Counters(40, [("brake", 6, 0)], startedMinutes: 25), Ct);

        var fires = await Catalog.ListTriggerCountsAsync(
            new TriggerCountQuery("acme") { Kind = TriggerCountKinds.Fires, Bucket = TimeSpan.FromMinutes(10) }, Ct);
        Assert.Equal(
            [(Hour0.AddMinutes(10), 3L), (Hour0.AddMinutes(20), 4L), (Hour0.AddMinutes(30), 2L), (Hour0.AddMinutes(40), 4L)],
            fires.Select(c => (c.BucketStart, c.Count)));
        Assert.Equal(13L, Assert.Single(await Catalog.ListTriggerCountsAsync(new TriggerCountQuery("acme") { Kind = TriggerCountKinds.Fires }, Ct)).Count);
    }

    [Fact]
    public async Task RecordStatus_KeepsTheLatest_IgnoresAnOlderOne_AndALastWillKeepsTheVersion()
    {
        Assert.True(await Catalog.RecordStatusAsync(Status("cam-1", "online", version: 3), T0, Ct));
        Assert.True(await Catalog.RecordStatusAsync(Status("cam-0", "online", fleet: "zeta"), T0, Ct));
        Assert.True(await Catalog.RecordStatusAsync(Status("cam-2", "paused"), T0, Ct));
        Assert.True(await Catalog.RecordStatusAsync(Status("cam-1", "offline", version: null) with { At = null }, T0.AddMinutes(5), Ct));
        Assert.False(await Catalog.RecordStatusAsync(Status("cam-1", "online", version: 9), T0.AddMinutes(1), Ct));

        var devices = await Catalog.ListDevicesAsync("acme", Ct);
        Assert.Equal(["cam-1", "cam-2"], devices.Select(d => d.Device));
        Assert.Equal(
            new CatalogDevice("acme", "cam-1", "offline", null, 3, null, Stored(T0), Stored(T0.AddMinutes(5))),
            devices[0]);
        Assert.Equal("broker packet limit", devices[1].Detail);
        Assert.Equal(["acme/cam-1", "acme/cam-2", "zeta/cam-0"], (await Catalog.ListDevicesAsync(null, Ct)).Select(d => $"{d.Fleet}/{d.Device}"));
    }

    [Fact]
    public async Task ListDevices_PagesByFleetThenDevice_EveryDeviceOnce_AndAgreesWithTheUnpagedList()
    {
        // Fleet names that are prefixes of each other: (fleet, device) order, not string order of "fleet/device".
        string[] fleets = ["a", "ab", "b"];
        foreach (var (fleet, i) in fleets.SelectMany(f => Enumerable.Range(0, 4).Select(i => (f, i))).OrderBy(_ => Guid.NewGuid()))
        {
            await Catalog.RecordStatusAsync(Status($"cam-{i}", "online", fleet: fleet), T0, Ct);
        }

        var all = (await Catalog.ListDevicesAsync(null, Ct)).Select(d => $"{d.Fleet}/{d.Device}").ToList();
        var seen = new List<string>();
        var query = new DeviceQuery { Limit = 5 };
        var pages = 0;
        do
        {
            var page = await Catalog.ListDevicePageAsync(query, Ct);
            Assert.InRange(page.Items.Count, 1, 5);
            seen.AddRange(page.Items.Select(d => $"{d.Fleet}/{d.Device}"));
            query = query with { After = page.Next };
            pages++;
        }
        while (query.After is not null);

        Assert.Equal(3, pages);
        Assert.Equal(12, seen.Count);
        Assert.Equal(all, seen);
        Assert.Equal(["a/cam-0", "a/cam-1", "a/cam-2", "a/cam-3", "ab/cam-0"], seen.Take(5));
        var ab = await Catalog.ListDevicePageAsync(new DeviceQuery { Fleet = "ab", Limit = 3 }, Ct);
        Assert.Equal(["cam-0", "cam-1", "cam-2"], ab.Items.Select(d => d.Device));
        Assert.Equal(["cam-3"], (await Catalog.ListDevicePageAsync(new DeviceQuery { Fleet = "ab", After = ab.Next }, Ct)).Items.Select(d => d.Device));
    }

    [Fact]
    public async Task Pulls_AddOnce_MoveThroughStates_AndListByDeviceAndState()
    {
        Assert.Equal(CatalogWrite.Added, await Catalog.AddPullAsync(Pull("p1"), Ct));
        Assert.Equal(CatalogWrite.AlreadyPresent, await Catalog.AddPullAsync(Pull("p1") with { Priority = 1 }, Ct));
        Assert.Equal(CatalogWrite.Conflict, await Catalog.AddPullAsync(Pull("p1", device: "cam-9"), Ct));
        await Catalog.AddPullAsync(Pull("p2", device: "cam-2", minutes: 1), Ct);
        await Catalog.AddPullAsync(Pull("p3", minutes: 2), Ct);

        Assert.True(await Catalog.SetPullStateAsync("p1", PullState.Completed, "3 clips", T0.AddMinutes(9), Ct));
        Assert.False(await Catalog.SetPullStateAsync("missing", PullState.Failed, null, T0, Ct));

        var p1 = await Catalog.GetPullAsync("p1", Ct);
        Assert.Equal(
            Pull("p1") with { State = PullState.Completed, Detail = "3 clips", WindowFrom = Stored(T0), WindowTo = Stored(T0.AddMinutes(1)), RequestedAt = Stored(T0), UpdatedAt = Stored(T0.AddMinutes(9)) },
            p1);
        Assert.Equal(["p1", "p2", "p3"], (await Catalog.ListPullsAsync("acme", null, null, Ct)).Select(p => p.PullId));
        Assert.Equal(["p1", "p3"], (await Catalog.ListPullsAsync("acme", "cam-1", null, Ct)).Select(p => p.PullId));
        Assert.Equal(["p2", "p3"], (await Catalog.ListPullsAsync("acme", null, PullState.Requested, Ct)).Select(p => p.PullId));
        Assert.Null(await Catalog.GetPullAsync("missing", Ct));
    }

    [Fact]
    public async Task Pulls_MoveOnlyFromTheStateGiven_SoACancelAndTheDispatchersAnswerCannotOverwriteEachOther()
    {
        await Catalog.AddPullAsync(Pull("p1"), Ct);

        Assert.True(await Catalog.TryMovePullAsync("p1", PullState.Requested, PullState.Cancelled, "cancelled by olga", T0.AddMinutes(1), Ct));
        Assert.False(await Catalog.TryMovePullAsync("p1", PullState.Requested, PullState.Sent, "2 clips queued", T0.AddMinutes(2), Ct));
        Assert.False(await Catalog.TryMovePullAsync("missing", PullState.Requested, PullState.Sent, null, T0, Ct));

        var held = await Catalog.GetPullAsync("p1", Ct);
        Assert.Equal((PullState.Cancelled, "cancelled by olga", Stored(T0.AddMinutes(1))), (held!.State, held.Detail, held.UpdatedAt));
    }

    public static TheoryData<string> BadInputs() =>
    [
        "empty clip id", "blank fleet", "bad sha", "negative size", "reversed clip times", "empty event id", "null trigger id",
        "control char in device", "empty status device", "negative count", "bad cursor", "zero limit", "huge limit",
        "reversed window", "empty get id", "bad device cursor", "clip cursor for devices", "huge device limit", "reversed pull window", "NUL in detail", "undefined pull state",
    ];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_GetsAClearArgumentException_AndChangesNothing(string input)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => input switch
        {
            "empty clip id" => Catalog.AddClipAsync(Clip(string.Empty), Ct),
            "blank fleet" => Catalog.AddClipAsync(Clip("c1", fleet: "  "), Ct),
            "bad sha" => Catalog.AddClipAsync(Clip("c1") with { Sha256 = "abc" }, Ct),
            "negative size" => Catalog.AddClipAsync(Clip("c1") with { SizeBytes = -1 }, Ct),
            "reversed clip times" => Catalog.AddClipAsync(Clip("c1") with { EndWall = T0.AddSeconds(-1) }, Ct),
            "empty event id" => Catalog.AddEventAsync("acme", "cam-1", Event(string.Empty), T0, Ct),
            "null trigger id" => Catalog.AddEventAsync("acme", "cam-1", Event("e1", triggers: [null!]), T0, Ct),
            "control char in device" => Catalog.AddEventAsync("acme", "cam\n1", Event("e1"), T0, Ct),
            "empty status device" => Catalog.RecordStatusAsync(Status(string.Empty, "online"), T0, Ct),
            "negative count" => Catalog.RecordTriggerCountersAsync(Counters(10, [("brake", 1, 0), ("swerve", -1, 0)]), Ct),
            "bad cursor" => Catalog.ListClipsAsync(new ClipQuery { After = "not-a-cursor" }, Ct),
            "zero limit" => Catalog.ListEventsAsync(new EventQuery { Limit = 0 }, Ct),
            "huge limit" => Catalog.ListClipsAsync(new ClipQuery { Limit = 1_000_000 }, Ct),
            "reversed window" => Catalog.ListEventsAsync(new EventQuery { From = T0, To = T0.AddSeconds(-1) }, Ct),
            "empty get id" => Catalog.GetClipAsync(string.Empty, Ct),
            "bad device cursor" => Catalog.ListDevicePageAsync(new DeviceQuery { After = "not-a-cursor" }, Ct),
            "clip cursor for devices" => Catalog.ListDevicePageAsync(new DeviceQuery { After = "MTIzfGM" }, Ct),
            "huge device limit" => Catalog.ListDevicePageAsync(new DeviceQuery { Limit = 1001 }, Ct),
            "reversed pull window" => Catalog.AddPullAsync(Pull("p1") with { WindowTo = T0.AddMinutes(-1) }, Ct),
            "NUL in detail" => Catalog.RecordStatusAsync(Status("cam-1", "online") with { Detail = "a\0b" }, T0, Ct),
            "undefined pull state" => Catalog.SetPullStateAsync("p1", (PullState)42, null, T0, Ct),
            _ => throw new InvalidOperationException(input),
        });

        Assert.False(string.IsNullOrWhiteSpace(error.ParamName), $"{input}: {error.Message}");
        Assert.Empty((await Catalog.ListClipsAsync(new ClipQuery(), Ct)).Items);
        Assert.Empty((await Catalog.ListEventsAsync(new EventQuery(), Ct)).Items);
        Assert.Empty(await Catalog.ListDevicesAsync(null, Ct));
        Assert.Empty(await Catalog.ListTriggerCountsAsync(new TriggerCountQuery("acme"), Ct));
    }

    private async Task<List<string>> ClipIds(ClipQuery query) =>
        [.. (await Catalog.ListClipsAsync(query, Ct)).Items.Select(c => c.ClipId)];

    private async Task<List<string>> EventIds(EventQuery query) =>
        [.. (await Catalog.ListEventsAsync(query, Ct)).Items.Select(e => e.EventId)];
}
