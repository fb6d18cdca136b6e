using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// The MQTT contract's JSON conventions for edgectl's own output, which also prints types outside
/// the contract (rows, anonymous records): edgectl is not trimmed, so those go through reflection.
/// </summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(UplinkJson.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(UplinkJson.Options.TypeInfoResolver, new DefaultJsonTypeInfoResolver()),
    };

    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };
}
