using System.Text.Json.Serialization;

namespace DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;

/// <summary>The metadata side files, serialized without reflection (Native AOT).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class ObjectStoreJsonContext : JsonSerializerContext;
