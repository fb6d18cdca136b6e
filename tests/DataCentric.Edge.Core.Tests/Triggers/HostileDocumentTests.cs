using System.Diagnostics;
using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.Core.Tests.Triggers;

/// <summary>
/// Regressions found by tools/bench/TriggerFuzz: documents that crashed the reader (a stack overflow
/// kills the process) or were quadratic, now refused with a positioned error like any other bad set.
/// </summary>
[Trait("Category", "Unit")]
public sealed class HostileDocumentTests
{
    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    public void DeeplyNestedYaml_IsRefused_NotAStackOverflow(string open, string close)
    {
        // Tens of thousands of levels fit in the 256 KiB document limit; YamlDotNet's tree builder and the
        // reader's conversion recursed per level.
        var depth = 250_000 / (open.Length + close.Length);
        var yaml = "schemaVersion: 1\nversion: 1\ndescription: " + string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)) + "\ntriggers: []\n";

        var result = TriggerSetCompiler.Compile(yaml, TriggerSourceFormat.Yaml, TriggerRig.StandardSignals);

        var error = Assert.Single(result.Errors);
        Assert.Contains("nested deeper than 64", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.True(error.Column > 1);
    }

    [Fact]
    public void YamlNestedWithinTheLimit_IsReadAsUsual()
    {
        var yaml = "schemaVersion: 1\nversion: 1\ndescription: " + new string('[', 60) + "1" + new string(']', 60) + "\ntriggers: []\n";

        var result = TriggerSetCompiler.Compile(yaml, TriggerSourceFormat.Yaml, TriggerRig.StandardSignals);

        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("nested", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains("'description' has the wrong type", StringComparison.Ordinal));
    }

    [Fact]
    public void YamlThatTheScannerRejectsWithInvalidOperation_IsRefused()
    {
        // Fuzz seed 1 set 413: a stray character before a flow mapping's key; YamlDotNet threw
        // InvalidOperationException instead of YamlException.
        var yaml = "schemaVersion: 1\nversion: 86?\ntriggers: [\n\u202c  {i\u071c: \"t0\", when: \"true\"},\n]\n";

        var result = TriggerSetCompiler.Compile(yaml, TriggerSourceFormat.Yaml, TriggerRig.StandardSignals);

        var error = Assert.Single(result.Errors);
        Assert.Equal("valid YAML", error.Expected);
        Assert.True(error.Line >= 1 && error.Column >= 1);
    }

    [Fact]
    public void YamlThatTheTreeBuilderRejectsWithArgumentException_IsRefused()
    {
        // Fuzz seed 1 set 28996: an empty key, then a block scalar cut off mid-line; YamlStream.Load threw
        // ArgumentException "The current event is of an unsupported type".
        var yaml = "schemaVersion: 1\nversion: 70\ntriggers:\n  - : 't0'\n    when: 'false'\n    cooldown: 0s\n    pre: 2s\n    post: 1s\n    minNovelty: 0.2\n    dryRun: true\n  - id: \"t1\"\n    when: |\n      fell((min(max_score(primary.boxe";

        var result = TriggerSetCompiler.Compile(yaml, TriggerSourceFormat.Yaml, TriggerRig.StandardSignals);

        var error = Assert.Single(result.Errors);
        Assert.Equal("valid YAML", error.Expected);
        Assert.True(error.Line >= 1 && error.Column >= 1);
    }

    [Theory]
    [InlineData("\\udfff")]
    [InlineData("\\ud800")]
    public void JsonWithALoneSurrogateEscape_IsRefused(string escape)
    {
        var json = $$"""{"schemaVersion": 1, "version": 1, "triggers": [{"id": "t", "when": "{{escape}}primary.brake"}]}""";

        var result = TriggerSetCompiler.Compile(json, TriggerSourceFormat.Json, TriggerRig.StandardSignals);

        var error = Assert.Single(result.Errors);
        Assert.Equal("valid JSON", error.Expected);
        Assert.Equal(1, error.Line);
        Assert.Equal(json.IndexOf("\"when\": \"", StringComparison.Ordinal) + 9, error.Column); // the string's opening quote
    }

    [Fact]
    public void OneLongJsonLine_IsReadInLinearTime_WithExactColumns()
    {
        // Every token's column was counted from the start of its line: 60 000 tokens on one line took seconds.
        var list = string.Join(',', Enumerable.Repeat("{}", 60_000));
        var json = $$"""{"schemaVersion": 1, "description": [{{list}}], "version": "seven", "triggers": []}""";

        var clock = Stopwatch.StartNew();
        var result = TriggerSetCompiler.Compile(json, TriggerSourceFormat.Json, TriggerRig.StandardSignals);
        clock.Stop();

        Assert.Contains(result.Errors, e => e.Message.Contains("'description'", StringComparison.Ordinal) && e.Column == json.IndexOf('[', StringComparison.Ordinal) + 1);
        Assert.Contains(result.Errors, e => e.Field == "version" && e.Column == json.IndexOf("\"seven\"", StringComparison.Ordinal) + 1);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }
}
