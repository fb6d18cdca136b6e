using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.RemoteConfig;
using static DataCentric.Edge.Uplink.Tests.RemoteConfig.TriggerSets;

namespace DataCentric.Edge.Uplink.Tests.RemoteConfig;

/// <summary>The device's checks on signed sets, with real keys, real files and the real compiler (no broker needed here).</summary>
[Trait("Category", "Unit")]
public sealed class RemoteTriggerSetsTests : IDisposable
{
    private const string Topic = "dce/v1/fleet1/dev1/config/triggers";
    private readonly TempDirectory _dir = new();
    private readonly ECDsa _fleetKey = FleetKeys.New();
    private readonly ECDsa _otherKey = FleetKeys.New();
    private readonly ActiveTriggerSet _active = new(Compiled(1));
    private readonly DeviceConnection _connection;
    private readonly RemoteTriggerSets _remote;

    public RemoteTriggerSetsTests()
    {
        _connection = new DeviceConnection(new UplinkOptions(), new BrokerEndpoint("127.0.0.1", 1), new FleetTopics("fleet1", "dev1"));
        _remote = NewRemote();
    }

    [Fact]
    public async Task ASetSignedByThePinnedKey_ForThisDevice_IsAcceptedAppliedAndKept()
    {
        var ack = await HandleAsync(Signed(Payload(2), _fleetKey));

        Assert.Equal(TriggerSetDecision.Accepted, ack.Decision);
        Assert.Empty(ack.Errors);
        Assert.Equal((2, 2, 1), (ack.ActiveVersion, _active.Current.Version, _active.Previous!.Version));
        Assert.Equal(FleetKeys.KeyIdOf(_fleetKey), ack.KeyId);
        Assert.True(File.Exists(_dir.Combine("sets", "active.envelope.json")));
    }

    public static TheoryData<string, string> Rejections => new()
    {
        { "forged", "which this device does not trust" },
        { "tampered", "does not verify" },
        { "unsigned", "unsigned" },
        { "not-json", "not a signed trigger set envelope" },
        { "other-device", "targets device 'dev2', not this device" },
        { "other-group", "targets group 'night-shift'" },
        { "other-fleet", "for fleet 'fleet2'" },
        { "older", "version 0 is not higher than the active version 1" },
        { "same-version", "version 1 is not higher than the active version 1" },
        { "version-mismatch", "the set says version 3, the signed envelope version 2" },
        { "too-large", "the limit is 4096" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task BadSets_AreRejectedWithTheReason_AndTheLastGoodSetStaysActive(string kind, string reason)
    {
        var before = _active.Current;
        var envelope = kind switch
        {
            "forged" => Signed(Payload(2), _otherKey),
            "tampered" => Tamper(Signed(Payload(2), _fleetKey)),
            "unsigned" => JsonSerializer.SerializeToUtf8Bytes(new TriggerSetEnvelope("", Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(Payload(2), UplinkJson.Options)), ""), UplinkJson.Options),
            "not-json" => Utf8("{ not json"),
            "other-device" => Signed(Payload(2, new TriggerSetTarget(TargetScope.Device, "dev2")), _fleetKey),
            "other-group" => Signed(Payload(2, new TriggerSetTarget(TargetScope.Group, "night-shift")), _fleetKey),
            "other-fleet" => Signed(Payload(2, fleet: "fleet2"), _fleetKey),
            "older" => Signed(Payload(0), _fleetKey),
            "same-version" => Signed(Payload(1), _fleetKey),
            "version-mismatch" => Signed(Payload(2, source: Source(3)), _fleetKey),
            "too-large" => Signed(Payload(2, source: Source(2) + new string('#', 5000)), _fleetKey),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var ack = await HandleAsync(envelope);

        Assert.Equal(TriggerSetDecision.Rejected, ack.Decision);
        Assert.Contains(ack.Errors, e => e.Contains(reason, StringComparison.Ordinal));
        Assert.Same(before, _active.Current);
        Assert.Equal(1, ack.ActiveVersion);
        Assert.False(File.Exists(_dir.Combine("sets", "active.envelope.json")));
    }

    [Fact]
    public async Task AnInvalidSet_ReportsEveryError_WithItsPosition_AndChangesNothing()
    {
        var source = Source(2, when: "shadow.obstacel > 0.5") + "\n  - id: second\n    when: primary.brake + 1\n";

        var ack = await HandleAsync(Signed(Payload(2, source: source), _fleetKey));

        Assert.Equal(TriggerSetDecision.Rejected, ack.Decision);
        Assert.True(ack.Errors.Count >= 2, string.Join(Environment.NewLine, ack.Errors));
        Assert.Contains(ack.Errors, e => e.Contains("shadow.obstacle", StringComparison.Ordinal));
        Assert.All(ack.Errors, e => Assert.Matches(@"^\(\d+,\d+\)", e));
        Assert.Equal(1, _active.Current.Version);
    }

    [Fact]
    public async Task AReplayOfAnEarlierAcceptedSet_IsRejected()
    {
        var v2 = Signed(Payload(2), _fleetKey);
        Assert.Equal(TriggerSetDecision.Accepted, (await HandleAsync(v2)).Decision);
        Assert.Equal(TriggerSetDecision.Accepted, (await HandleAsync(Signed(Payload(3), _fleetKey))).Decision);

        var replay = await HandleAsync(v2);

        Assert.Equal(TriggerSetDecision.Rejected, replay.Decision);
        Assert.Contains(replay.Errors, e => e.Contains("version 2 is not higher than the active version 3", StringComparison.Ordinal));
        Assert.Equal(3, _active.Current.Version);
    }

    [Fact]
    public async Task TheActiveSetRedeliveredAsRetained_IsNotDecidedAgain()
    {
        var v2 = Signed(Payload(2), _fleetKey);
        await HandleAsync(v2);

        Assert.Null(await _remote.HandleAsync(Topic, v2, TestContext.Current.CancellationToken));
        Assert.Null(await _remote.HandleAsync(Topic, ReadOnlyMemory<byte>.Empty, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GroupAndFleetTargets_ReachAMember()
    {
        Assert.Equal(TriggerSetDecision.Accepted, (await HandleAsync(Signed(Payload(2, new TriggerSetTarget(TargetScope.Group, "day-shift")), _fleetKey))).Decision);
        Assert.Equal(TriggerSetDecision.Accepted, (await HandleAsync(Signed(Payload(3, new TriggerSetTarget(TargetScope.Fleet, null)), _fleetKey))).Decision);
        Assert.Equal(3, _active.Current.Version);
    }

    [Fact]
    public async Task AfterARestart_TheAcceptedSetComesBack_AndRollbackReturnsToThePreviousOne()
    {
        await HandleAsync(Signed(Payload(2), _fleetKey));
        await HandleAsync(Signed(Payload(3), _fleetKey));

        var restarted = new ActiveTriggerSet(Compiled(1));
        using var remote = NewRemote(restarted);
        Assert.Empty(remote.RestoreAccepted());
        Assert.Equal(3, restarted.Current.Version);

        Assert.True(_active.Rollback());
        Assert.Equal(2, _active.Current.Version);
        Assert.False(_active.Rollback());
        var again = new ActiveTriggerSet(Compiled(1));
        using var afterRollback = NewRemote(again);
        Assert.Empty(afterRollback.RestoreAccepted());
        Assert.Equal(2, again.Current.Version);
    }

    [Fact]
    public async Task ASetRolledBackFrom_StaysRefused_WhenItsRetainedCopyComesBack_EvenAfterARestart()
    {
        await HandleAsync(Signed(Payload(2), _fleetKey));
        var v3 = Signed(Payload(3), _fleetKey);
        await HandleAsync(v3);
        Assert.True(_active.Rollback());

        var redelivered = await HandleAsync(v3);
        using var restarted = NewRemote(new ActiveTriggerSet(Compiled(2)));
        var afterRestart = (await restarted.HandleAsync(Topic, v3, TestContext.Current.CancellationToken))!;

        Assert.Equal(TriggerSetDecision.Rejected, redelivered.Decision);
        Assert.Contains(redelivered.Errors, e => e.Contains("rolled back on this device", StringComparison.Ordinal));
        Assert.Equal(TriggerSetDecision.Rejected, afterRestart.Decision);
        Assert.Equal(2, _active.Current.Version);
        Assert.Equal(TriggerSetDecision.Accepted, (await HandleAsync(Signed(Payload(4), _fleetKey))).Decision);
    }

    [Fact]
    public async Task ARollback_IsAnsweredLikeADecision_TheSetRolledBackFromRefused_WithTheVersionNowActive()
    {
        await HandleAsync(Signed(Payload(2), _fleetKey));
        var v3 = Signed(Payload(3), _fleetKey);
        await HandleAsync(v3);
        var decided = new TaskCompletionSource<TriggerSetAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        _remote.Decided += ack => decided.TrySetResult(ack);

        Assert.True(_active.Rollback());

        // The retained ack said v3 was accepted and active; its replacement says what runs now.
        var refusal = await decided.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal((TriggerSetDecision.Rejected, 3, 2, Topic), (refusal.Decision, refusal.Version, refusal.ActiveVersion, refusal.Topic));
        Assert.Contains(refusal.Errors, e => e.Contains("rolled back on this device", StringComparison.Ordinal));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(v3)), refusal.Sha256);
    }

    [Fact]
    public async Task TheStatus_AnnouncesTheActiveVersion_ThroughAcceptanceAndRollback()
    {
        Assert.Equal(1, _connection.TriggerSetVersion);

        await HandleAsync(Signed(Payload(2), _fleetKey));
        Assert.Equal(2, _connection.TriggerSetVersion);

        Assert.True(_active.Rollback());
        Assert.Equal(1, _connection.TriggerSetVersion);
    }

    [Fact]
    public async Task ARestoredSet_SignedByAKeyNoLongerPinned_IsRefused_AndTheConfiguredSetStays()
    {
        await HandleAsync(Signed(Payload(2), _fleetKey));
        var restarted = new ActiveTriggerSet(Compiled(1));
        var device = new TriggerSetDevice("fleet1", "dev1", ["day-shift"], new Dictionary<string, ECDsa>(), Signals, 4096);
        using var remote = new RemoteTriggerSets(_connection, restarted, device, _dir.Combine("sets"), TimeProvider.System);

        Assert.Contains(remote.RestoreAccepted(), e => e.Contains("does not trust", StringComparison.Ordinal));
        Assert.Equal(1, restarted.Current.Version);
    }

    public void Dispose()
    {
        _remote.Dispose();
        _fleetKey.Dispose();
        _otherKey.Dispose();
        _dir.Dispose();
    }

    private RemoteTriggerSets NewRemote(ActiveTriggerSet? active = null)
    {
        var device = new TriggerSetDevice("fleet1", "dev1", ["day-shift"], new Dictionary<string, ECDsa> { [FleetKeys.KeyIdOf(_fleetKey)] = _fleetKey }, Signals, 4096);
        return new RemoteTriggerSets(_connection, active ?? _active, device, _dir.Combine("sets"), TimeProvider.System);
    }

    private async Task<TriggerSetAck> HandleAsync(byte[] envelope) =>
        (await _remote.HandleAsync(Topic, envelope, TestContext.Current.CancellationToken))!;

    private static byte[] Tamper(byte[] envelopeBytes)
    {
        var envelope = JsonSerializer.Deserialize<TriggerSetEnvelope>(envelopeBytes, UplinkJson.Options)!;
        var payload = Convert.FromBase64String(envelope.Payload);
        var text = System.Text.Encoding.UTF8.GetString(payload).Replace("0.5", "0.9", StringComparison.Ordinal);
        return JsonSerializer.SerializeToUtf8Bytes(envelope with { Payload = Convert.ToBase64String(Utf8(text)) }, UplinkJson.Options);
    }
}
