using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataCentric.Edge.FleetService.WebConsole.Pulls;

/// <summary>The pull page's wire types, generated at build time (dce-fleet is trimmed).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ConsolePull))]
[JsonSerializable(typeof(IReadOnlyList<ConsolePull>))]
[JsonSerializable(typeof(ConsoleNewPull))]
internal sealed partial class PullConsoleJsonContext : JsonSerializerContext;
