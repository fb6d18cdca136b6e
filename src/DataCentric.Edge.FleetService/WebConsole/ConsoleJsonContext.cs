using System.Text.Json;
using System.Text.Json.Serialization;
using DataCentric.Edge.Fleet.Api;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>The console's own wire types, generated at build time (dce-fleet is trimmed): camelCase, enums as names.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ConsoleSession))]
[JsonSerializable(typeof(ConsoleDevice))]
[JsonSerializable(typeof(ApiPage<ConsoleDevice>))]
[JsonSerializable(typeof(ClipFrameIndex))]
internal sealed partial class ConsoleJsonContext : JsonSerializerContext;
