using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Documents;

namespace DataCentric.Edge.Core.Tests.Triggers;

[Trait("Category", "Unit")]
public sealed class TriggerSetCompilerTests
{
    private const string Yaml = """
        schemaVersion: 1
        version: 7
        description: skeleton set
        staleAfter: 500ms
        triggers:
          - id: missed_obstacle
            description: shadow sees an obstacle, primary does not brake
            when: held(shadow.obstacle > 0.5 and not primary.brake, 200ms)
            pre: 2s
            post: 1500ms
            cooldown: 1m
            priority: 5
            sampleRate: 0.5
            maxPerHour: 20
            maxBytesPerDay: 1000000
            upload: wifiOnly
            dryRun: true
            minNovelty: 0.1
          - id: phantom_brake
            when: primary.brake and shadow.obstacle < 0.1
            enabled: false
        """;

    private const string Json = """
        {
          "schemaVersion": 1, "version": 7, "description": "skeleton set", "staleAfter": "500ms",
          "triggers": [
            { "id": "missed_obstacle", "description": "shadow sees an obstacle, primary does not brake",
              "when": "held(shadow.obstacle > 0.5 and not primary.brake, 200ms)",
              "pre": "2s", "post": "1500ms", "cooldown": "1m", "priority": 5, "sampleRate": 0.5,
              "maxPerHour": 20, "maxBytesPerDay": 1000000, "upload": "wifiOnly", "dryRun": true, "minNovelty": 0.1 },
            { "id": "phantom_brake", "when": "primary.brake and shadow.obstacle < 0.1", "enabled": false }
          ]
        }
        """;

    [Fact]
    public void Compile_ValidYaml_GivesTypedSettings()
    {
        var set = TriggerRig.Compile(Yaml);

        Assert.Equal(7, set.Version);
        Assert.Equal(TimeSpan.FromMilliseconds(500), set.StaleAfter);
        var trigger = set.Triggers[0];
        Assert.Equal("missed_obstacle", trigger.Id);
        Assert.Equal("held(shadow.obstacle > 0.5 and not primary.brake, 200ms)", trigger.Expression);
        Assert.Equal(TimeSpan.FromSeconds(2), trigger.Pre);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), trigger.Post);
        Assert.Equal(TimeSpan.FromMinutes(1), trigger.Cooldown);
        Assert.Equal(5, trigger.Priority);
        Assert.Equal(0.5, trigger.SampleRate);
        Assert.Equal(20, trigger.MaxPerHour);
        Assert.Equal(1_000_000, trigger.MaxBytesPerDay);
        Assert.Equal(UploadPolicy.WifiOnly, trigger.Upload);
        Assert.True(trigger.DryRun);
        Assert.Equal(0.1, trigger.MinNovelty);
        Assert.Equal(["shadow.obstacle", "primary.brake"], trigger.Signals);
        Assert.False(set.Triggers[1].Enabled);
    }

    [Fact]
    public void Compile_JsonOfTheSameSet_GivesTheSameModel()
    {
        var fromYaml = TriggerRig.Compile(Yaml);
        var fromJson = TriggerSetCompiler.Compile(Json, TriggerSourceFormat.Json, TriggerRig.StandardSignals).GetSetOrThrow();

        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(fromYaml.Document),
            System.Text.Json.JsonSerializer.Serialize(fromJson.Document));
        Assert.Equal(fromYaml.Triggers.Select(t => (t.Id, t.Expression, t.Pre, t.Post, t.Cooldown)), fromJson.Triggers.Select(t => (t.Id, t.Expression, t.Pre, t.Post, t.Cooldown)));
    }

    [Fact]
    public void Compile_SyntaxError_ReportsDocumentAndExpressionPosition()
    {
        const string yaml = """
            schemaVersion: 1
            version: 1
            triggers:
              - id: broken
                when: shadow.obstacle > > 0.5
            """;

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("broken", error.TriggerId);
        Assert.Equal("when", error.Field);
        Assert.Equal((1, 19), (error.ExpressionLine, error.ExpressionColumn));
        Assert.Equal((5, 29), (error.Line, error.Column));
        Assert.Contains("unexpected '>'", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Expected);
    }

    [Fact]
    public void Compile_ErrorOnSecondLineOfBlockCondition_PointsAtThatLine()
    {
        const string yaml = """
            schemaVersion: 1
            version: 1
            triggers:
              - id: multi
                when: |
                  shadow.obstacle > 0.5
                  and primary.brak
            """;

        var error = Assert.Single(Errors(yaml));

        Assert.Equal((2, 5), (error.ExpressionLine, error.ExpressionColumn));
        Assert.Equal((7, 11), (error.Line, error.Column));
        Assert.Equal("primary.brake", error.Suggestion);
    }

    [Fact]
    public void Compile_UnknownSignal_SuggestsTheNearestName()
    {
        var error = Assert.Single(Errors(TriggerRig.OneTrigger("shadow.obstacle > 0.5 and not primary.brak")));

        Assert.Contains("unknown signal 'primary.brak'", error.Message, StringComparison.Ordinal);
        Assert.Equal("primary.brake", error.Suggestion);
        Assert.Equal(31, error.ExpressionColumn);
        Assert.Contains("did you mean 'primary.brake'?", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_UnknownSignalFarFromAnyName_HasNoSuggestion()
    {
        var error = Assert.Single(Errors(TriggerRig.OneTrigger("lidar.points > 3")));

        Assert.Null(error.Suggestion);
    }

    [Theory]
    [InlineData("primary.brake + 1 > 0", "'+' cannot combine bool and number")]
    [InlineData("primary.mode > 3", "'>' cannot combine string and number")]
    [InlineData("primary.mode == 3", "'==' cannot combine string and number")]
    [InlineData("not shadow.obstacle", "'not' needs a bool, got number")]
    [InlineData("shadow.obstacle and primary.brake", "'and' cannot combine number and bool")]
    [InlineData("held(shadow.obstacle, 200ms)", "expected bool, got number")]
    [InlineData("shadow.obstacle > 200ms", "'>' cannot combine number and duration")]
    [InlineData("shadow.obstacle + 1", "condition must be true or false, got number")]
    [InlineData("abs(primary.brake) > 0", "'abs' needs a number or a duration, got bool")]
    public void Compile_WrongTypes_AreReported(string when, string message)
    {
        var errors = Errors(TriggerRig.OneTrigger(when));

        Assert.Contains(errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("shadow.obstacle > ", "expression ends too early")]
    [InlineData("(shadow.obstacle > 0.5", "unexpected end of the expression")]
    [InlineData("shadow.obstacle > 0.5)", "unexpected ')'")]
    [InlineData("shadow.obstacle = 0.5", "'=' is not an operator")]
    [InlineData("shadow.obstacle > 0.5 && primary.brake", "'&' is not an operator")]
    [InlineData("0 < shadow.obstacle < 1", "comparisons cannot be chained")]
    [InlineData("held(primary.brake, 5x)", "unknown duration unit 'x'")]
    [InlineData("primary.mode == \"auto", "string is not closed")]
    [InlineData("shadow.obstacle > 1e999", "number literal is out of range")]
    [InlineData("helt(primary.brake, 1s)", "unknown function 'helt'")]
    [InlineData("held(primary.brake)", "'held' takes 2 arguments, got 1")]
    [InlineData("held(primary.brake, shadow.obstacle)", "must be a duration literal")]
    public void Compile_BadSyntax_IsReportedWithPosition(string when, string message)
    {
        var errors = Errors(TriggerRig.OneTrigger(when));

        var error = Assert.Single(errors);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.ExpressionColumn >= 1 && error.ExpressionColumn <= when.Length + 1);
        Assert.True(error.Line > 0 && error.Column > 0);
    }

    [Fact]
    public void Compile_UnknownFunctionNearAKnownOne_SuggestsIt()
    {
        var error = Assert.Single(Errors(TriggerRig.OneTrigger("helt(primary.brake, 1s)")));

        Assert.Equal("held", error.Suggestion);
    }

    [Fact]
    public void Compile_SeveralProblems_AreAllReportedTogether()
    {
        const string yaml = """
            schemaVersion: 1
            version: 3
            triggers:
              - id: a
                when: primary.brake + 1 > 0 and shadow.obstacel > 0.5
                cooldwn: 2s
              - id: a
                when: held(primary.brake, 200ms)
                pre: soon
                sampleRate: 2
                upload: wifi
              - id: c
                when: (primary.brake
            """;

        var errors = Errors(yaml);

        Assert.Contains(errors, e => e.TriggerId == "a" && e.Message.Contains("'+' cannot combine", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.TriggerId == "a" && e.Suggestion == "shadow.obstacle");
        Assert.Contains(errors, e => e.Field == "cooldwn" && e.Suggestion == "cooldown" && e.Line == 6);
        Assert.Contains(errors, e => e.Field == "id" && e.Message.Contains("used by another trigger", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "pre" && e.Line == 9 && e.Expected == DurationText.Expected);
        Assert.Contains(errors, e => e.Field == "sampleRate" && e.Line == 10);
        Assert.Contains(errors, e => e.Field == "upload" && e.Suggestion == "wifiOnly");
        Assert.Contains(errors, e => e.TriggerId == "c" && e.Line == 13);
        Assert.Equal(8, errors.Count);
    }

    [Theory]
    [InlineData("schemaVersion: 1\nversion: 1\ntriggers:\n  - id: a\n    when: [1, 2\n", 6)]
    [InlineData("schemaVersion: 1\nversion: 1\ntriggers:\n  - id: a\n  when: x\n", 5)]
    public void Compile_MalformedYaml_ReportsWhere(string yaml, int line)
    {
        var error = Assert.Single(Errors(yaml));

        Assert.Equal("document", error.Field);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void Compile_MalformedJson_ReportsWhere()
    {
        var result = TriggerSetCompiler.Compile("{\n  \"schemaVersion\": 1,\n  \"version\": ,\n}", TriggerSourceFormat.Json, TriggerRig.StandardSignals);

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Compile_JsonWrongFieldType_ReportsFieldPosition()
    {
        var result = TriggerSetCompiler.Compile(
            "{\"schemaVersion\": 1, \"version\": \"seven\",\n \"triggers\": [{\"id\": \"a\", \"when\": \"primary.brake\", \"priority\": true}]}",
            TriggerSourceFormat.Json,
            TriggerRig.StandardSignals);

        Assert.Contains(result.Errors, e => e.Field == "version" && e.Line == 1 && e.Column == 33);
        Assert.Contains(result.Errors, e => e.Field == "priority" && e.Line == 2);
    }

    [Fact]
    public void Compile_MissingIdAndWhen_AreReported()
    {
        var errors = Errors("schemaVersion: 1\nversion: 1\ntriggers:\n  - description: nothing\n");

        Assert.Contains(errors, e => e.Field == "id");
        Assert.Contains(errors, e => e.Field == "when");
    }

    [Fact]
    public void Compile_TriggerThatIsNotAMapping_IsOneError()
    {
        var error = Assert.Single(Errors("schemaVersion: 1\nversion: 1\ntriggers:\n  - primary.brake\n"));

        Assert.Equal(("triggers", 4, 5), (error.Field, error.Line, error.Column));
    }

    [Fact]
    public void Compile_UnsupportedSchemaVersion_IsRejected()
    {
        var errors = Errors("schemaVersion: 2\nversion: 1\ntriggers: []\n");

        var error = Assert.Single(errors);
        Assert.Equal("schemaVersion", error.Field);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Compile_DocumentBuiltInCode_Works()
    {
        var document = new TriggerSetDocument { Version = 2 };
        document.Triggers.Add(new TriggerDefinition { Id = "x", When = "vehicle.speed > 10" });

        var result = TriggerSetCompiler.Compile(document, [("vehicle.speed", SignalKind.Number)]);

        Assert.True(result.Succeeded);
        Assert.Equal("x", result.Set!.Triggers[0].Id);
    }

    [Fact]
    public void Compile_DocumentBuiltInCodeWithoutId_IsRejected()
    {
        var document = new TriggerSetDocument { Version = 2 };
        document.Triggers.Add(new TriggerDefinition { When = "vehicle.speed > 10" });

        var result = TriggerSetCompiler.Compile(document, [("vehicle.speed", SignalKind.Number)]);

        Assert.Equal("id", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void GetSetOrThrow_OnFailure_ThrowsWithEveryError()
    {
        var result = TriggerSetCompiler.Compile(TriggerRig.OneTrigger("nope > 1 and primary.brake + 1"), TriggerSourceFormat.Yaml, TriggerRig.StandardSignals);

        var error = Assert.Throws<TriggerSetRejectedException>(result.GetSetOrThrow);
        Assert.Equal(result.Errors.Count, error.Errors.Count);
        Assert.Equal(2, error.Errors.Count);
    }

    internal static IReadOnlyList<TriggerDiagnostic> Errors(string yaml, TriggerLimits? limits = null)
    {
        var result = TriggerSetCompiler.Compile(yaml, TriggerSourceFormat.Yaml, TriggerRig.StandardSignals, limits);
        Assert.False(result.Succeeded);
        Assert.Null(result.Set);
        return result.Errors;
    }
}
