using System.Text.Json;
using System.Text.Json.Serialization;
using DataCentric.Edge.Fleet.Api;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>The Triggers page's and editor's wire types, generated at build time (dce-fleet is trimmed).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(TriggerSetSourceRequest))]
[JsonSerializable(typeof(TriggerValidation))]
[JsonSerializable(typeof(SignalSources))]
[JsonSerializable(typeof(BacktestRequest))]
[JsonSerializable(typeof(BacktestStatus))]
[JsonSerializable(typeof(TriggerProposal))]
[JsonSerializable(typeof(ApiPage<TriggerProposal>))]
[JsonSerializable(typeof(ProposalDecision))]
[JsonSerializable(typeof(ConsoleRollback))]
[JsonSerializable(typeof(BoardSignal[]))]
internal sealed partial class TriggerConsoleJsonContext : JsonSerializerContext;

/// <summary>One row of <c>edgectl triggers signals --board NAME --json</c>.</summary>
public sealed record BoardSignal(string Name, string Kind);
