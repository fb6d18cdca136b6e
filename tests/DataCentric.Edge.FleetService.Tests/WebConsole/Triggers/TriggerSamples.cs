using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Triggers;

/// <summary>Trigger sets signed as <c>edgectl triggers sign</c> signs them (the same signer), and the second operator's token.</summary>
internal static class TriggerSamples
{
    public const string SecondOperatorToken = "second-operator-token-0123456789";

    /// <summary>Fires once on each <see cref="ConsoleSamples.Clip"/> (the obstacle score passes 0.35 at its fifth frame, 400 ms in).</summary>
    public static string Set(int version, int maxPerHour = 20) => $"""
        schemaVersion: 1
        version: {version}
        triggers:
          - id: obstacle_seen
            when: shadow.obstacle > 0.35
            pre: 1s
            post: 1s
            maxPerHour: {maxPerHour}
        """;

    public static readonly string[] DeviceSignals = ["shadow.obstacle:number", "primary.brake:bool", "primary.speed:number"];

    public static Dictionary<string, string?> SecondOperator() => new()
    {
        ["Api:Tokens:2:Name"] = "oscar",
        ["Api:Tokens:2:Role"] = "operator",
        ["Api:Tokens:2:TokenSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SecondOperatorToken))),
    };

    public static byte[] Signed(ECDsa key, string source, int version, string fleet = "fleet1", TargetScope scope = TargetScope.Device, string? name = "dev-a") =>
        TriggerSetSigner.Serialize(TriggerSetSigner.Sign(
            new TriggerSetPayload(FleetTopics.Root, fleet, new TriggerSetTarget(scope, name), version, TriggerSetFormat.Yaml, source, DateTimeOffset.UtcNow), key));

    public static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
