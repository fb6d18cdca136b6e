using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>The Models page's own wire types, generated at build time (dce-fleet is trimmed).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ModelRollbackRequest))]
[JsonSerializable(typeof(ConsoleModelRollback))]
[JsonSerializable(typeof(ModelProposal))]
[JsonSerializable(typeof(ModelProposalDecision))]
[JsonSerializable(typeof(DataCentric.Edge.Fleet.Api.ApiPage<ModelProposal>))]
internal sealed partial class ModelConsoleJsonContext : JsonSerializerContext;
