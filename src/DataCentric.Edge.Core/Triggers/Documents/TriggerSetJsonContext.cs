using System.Text.Json.Serialization;

namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>Serialisation code for the trigger set, generated at build time.</summary>
[JsonSerializable(typeof(TriggerSetDocument))]
internal sealed partial class TriggerSetJsonContext : JsonSerializerContext;
