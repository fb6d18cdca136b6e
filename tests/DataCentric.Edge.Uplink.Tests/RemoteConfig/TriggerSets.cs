using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Uplink.Tests.RemoteConfig;

/// <summary>Trigger set sources and signed envelopes for the remote config tests.</summary>
internal static class TriggerSets
{
    public static readonly IReadOnlyList<(string Name, SignalKind Kind)> Signals =
        [("shadow.obstacle", SignalKind.Number), ("primary.brake", SignalKind.Bool)];

    public static string Source(int version, string when = "shadow.obstacle > 0.5 and not primary.brake") => string.Create(CultureInfo.InvariantCulture, $"""
        schemaVersion: 1
        version: {version}
        triggers:
          - id: missed-obstacle
            when: {when}
            pre: 1s
            post: 1s
            priority: 5
        """);

    public static CompiledTriggerSet Compiled(int version) =>
        TriggerSetCompiler.Compile(Source(version), TriggerSourceFormat.Yaml, Signals).GetSetOrThrow();

    public static TriggerSetPayload Payload(int version, TriggerSetTarget? target = null, string? source = null, string fleet = "fleet1") =>
        new(FleetTopics.Root, fleet, target ?? new TriggerSetTarget(TargetScope.Device, "dev1"), version, TriggerSetFormat.Yaml,
            source ?? Source(version), DateTimeOffset.UnixEpoch);

    public static byte[] Signed(TriggerSetPayload payload, ECDsa key) => TriggerSetSigner.Serialize(TriggerSetSigner.Sign(payload, key));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
