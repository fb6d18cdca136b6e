using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataCentric.Edge.Agent.Tests.Install;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Sources.Sensors;
using Json.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Agent.Tests.Controller;

/// <summary>
/// firmware-config/controller/controller-message.schema.json is the controller message's
/// specification: sample messages are checked against it, and the agent's parser must accept
/// exactly the samples the schema accepts.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ControllerMessageSchemaTests
{
    private const string Box = """{"x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4}""";

    // Built once: the library registers a schema by its $id globally.
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(ControllerDirectory, "controller-message.schema.json"))));

    private static string ControllerDirectory => Path.Combine(PublishedAgent.RepositoryRoot, "firmware-config", "controller");

    private static string Detection(string cls = "\"car\"", string score = "0.9", string box = Box) => $$"""{"class": {{cls}}, "score": {{score}}, "box": {{box}}}""";

    private static string Boxes(params string[] detections) => """{"perception": {"detections": {"boxes": [""" + string.Join(", ", detections) + "]}}}";

    public static TheoryData<string, bool> Samples() => new()
    {
        // Decisions only: the message every existing controller sends.
        { """{"decisions": {"brake": true, "steer": -0.05}}""", true },
        { """{"time": 12.5, "decisions": {"brake": false}, "firmware": "4.2"}""", true },
        { """{"decisions": {"brake": "yes"}}""", false },
        { """{"time": "noon", "decisions": {"brake": true}}""", false },
        { """{"time": 2e9, "decisions": {"brake": true}}""", false },
        { """{"decisions": ["brake"]}""", false },
        { """{"time": 1}""", false },
        { "[1, 2]", false },

        // Perception: good ones.
        { Boxes(Detection()), true },
        { Boxes(), true },
        { Boxes(Detection("0"), Detection("2.0"), Detection("\"cyclist\"", "0")), true },
        { Boxes(Detection(score: "1", box: """{"x": 0.75, "y": 0, "width": 0.5, "height": 1}""")), true },
        { Boxes("""{"class": 1, "score": 0.5, "box": {"x": 0, "y": 0, "width": 1, "height": 1}, "track_id": 7}"""), true },
        { """{"time": 3.2, "decisions": {"brake": true}, "perception": {"time": 3.1, "detections": {"boxes": []}, "labels": {"scene": "car"}}}""", true },
        { """{"perception": {"labels": {"scene": "pedestrian"}, "lanes": 2}}""", true },

        // Sizes: negative (x2 < x1), zero, too large; positions on or past the far edge.
        { Boxes(Detection(box: """{"x": 0.6, "y": 0.2, "width": -0.3, "height": 0.4}""")), false },
        { Boxes(Detection(box: """{"x": 0.1, "y": 0.2, "width": 0, "height": 0.4}""")), false },
        { Boxes(Detection(box: """{"x": 0.1, "y": 0.2, "width": 0.3, "height": 1.01}""")), false },
        { Boxes(Detection(box: """{"x": 1, "y": 0.2, "width": 0.3, "height": 0.4}""")), false },
        { Boxes(Detection(box: """{"x": -0.01, "y": 0.2, "width": 0.3, "height": 0.4}""")), false },

        // NaN and infinity are not JSON numbers: as text they are the wrong type, bare they are not JSON.
        { Boxes(Detection(box: """{"x": 0.1, "y": 0.2, "width": "NaN", "height": 0.4}""")), false },
        { Boxes(Detection(box: """{"x": 0.1, "y": 0.2, "width": NaN, "height": 0.4}""")), false },
        { Boxes(Detection(box: """{"x": 0.1, "y": 0.2, "width": Infinity, "height": 0.4}""")), false },

        // Scores, classes.
        { Boxes(Detection(score: "1.5")), false },
        { Boxes(Detection(score: "-0.5")), false },
        { Boxes(Detection(score: "\"high\"")), false },
        { Boxes(Detection("-1")), false },
        { Boxes(Detection("1.5")), false },
        { Boxes(Detection("\"\"")), false },
        { Boxes(Detection("true")), false },
        { """{"perception": {"labels": {"scene": 3}}}""", false },
        { """{"perception": {"labels": {"scene": ""}}}""", false },

        // Wrong shapes and missing fields.
        { Boxes(Detection(box: "[0.1, 0.2, 0.3, 0.4]")), false },
        { Boxes(Detection(box: """{"x1": 0.1, "y1": 0.2, "x2": 0.3, "y2": 0.4}""")), false },
        { Boxes(Detection(box: """{"x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4, "x2": 0.4}""")), false },
        { Boxes(Detection(box: """{"x": 0.1, "y": 0.2, "width": 0.3}""")), false },
        { Boxes("""{"class": "car", "box": {"x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4}}"""), false },
        { Boxes("""{"score": 0.5, "box": {"x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4}}"""), false },
        { Boxes("""{"class": "car", "score": 0.5}"""), false },
        { Boxes("7"), false },
        { """{"perception": {"detections": {"boxes": {"class": "car"}}}}""", false },
        { """{"perception": {"detections": [[]]}}""", false },
        { """{"perception": 1}""", false },
        { """{"perception": {"time": 3, "detections": {"boxes": []}}}""", false },

        // The bound on detections per list.
        { Boxes([.. Enumerable.Repeat(Detection(), ControllerPerceptionJson.MaxDetectionsPerList)]), true },
        { Boxes([.. Enumerable.Repeat(Detection(), ControllerPerceptionJson.MaxDetectionsPerList + 1)]), false },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_IsAcceptedByTheAgentExactlyWhenTheSchemaAcceptsIt(string json, bool valid)
    {
        var schemaErrors = SchemaErrors(json);
        var (accepted, refusal) = AgentAccepts(json);

        Assert.True(valid == (schemaErrors.Count == 0), $"schema: expected {(valid ? "valid" : "invalid")}; {string.Join("; ", schemaErrors)}");
        Assert.True(valid == accepted, $"agent: expected {(valid ? "accepted" : "refused")}; {refusal}");
    }

    [Fact]
    public void ReadmeExample_PassesTheSchema_AndTheAgent()
    {
        var readme = File.ReadAllText(Path.Combine(ControllerDirectory, "README.md"));
        var example = Regex.Match(readme, "```json\\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;

        Assert.Empty(SchemaErrors(example));
        Assert.True(AgentAccepts(example).Accepted, AgentAccepts(example).Refusal);
    }

    /// <summary>What only the device's configuration decides: the schema cannot know a device's signal names or classes.</summary>
    [Theory]
    [InlineData("""{"perception": {"detections": {"boxes": [{"class": "truck", "score": 0.5, "box": {"x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4}}]}}}""", "unknown-class")]
    [InlineData("""{"perception": {"detections": {"boxes": [{"class": 3, "score": 0.5, "box": {"x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4}}]}}}""", "unknown-class")]
    [InlineData("""{"perception": {"labels": {"scene": "truck"}}}""", "unknown-class")]
    [InlineData("""{"perception": {"detections": {"lanes": []}}}""", "unknown-signal")]
    [InlineData("""{"perception": {"detections": {"scene": []}}}""", "wrong-kind")]
    public void ConfigurationChecks_AreTheAgents_BeyondTheSchema(string json, string kind)
    {
        Assert.Empty(SchemaErrors(json));
        var (accepted, refusal) = AgentAccepts(json);
        Assert.False(accepted);
        Assert.StartsWith(kind, refusal, StringComparison.Ordinal);
    }

    private static List<string> SchemaErrors(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return [$"not JSON: {e.Message}"];
        }

        using (document)
        {
            var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            return results.IsValid
                ? []
                : [.. (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")), "invalid"];
        }
    }

    /// <summary>The agent's whole check: parse, then the configured names, kinds and classes.</summary>
    private static (bool Accepted, string Refusal) AgentAccepts(string json)
    {
        var options = new ControllerFeedOptions { MaxMessageBytes = 65_507 };
        options.Signals["brake"] = "Bool";
        options.Signals["steer"] = "Number";
        options.Signals["boxes"] = "Detections";
        options.Signals["scene"] = "Label";
        foreach (var name in new[] { "car", "pedestrian", "cyclist" })
        {
            options.Classes.Add(name);
        }

        var badInput = new BadInputCounter("schema-test", TimeProvider.System, TimeSpan.Zero, NullLogger.Instance);
        var publisher = new ControllerDecisionPublisher(options, badInput, new ClockOffsetEstimator(4));
        var bus = new SignalBus(new SignalBusOptions());
        publisher.Register(bus);
        var accepted = publisher.Accept(bus, Encoding.UTF8.GetBytes(json), TimeSpan.FromSeconds(1));
        return (accepted, string.Join("; ", badInput.Snapshot().Keys));
    }
}
