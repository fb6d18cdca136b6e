using System.Text;
using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.Core.Tests.Triggers;

/// <summary>Cost limits are checked before a set is accepted, with the default and with configured values.</summary>
[Trait("Category", "Unit")]
public sealed class TriggerLimitsTests
{
    [Fact]
    public void Expression_LongerThan4KiB_IsRejected()
    {
        var when = string.Join(" or ", Enumerable.Repeat("vehicle.speed > 1", 300));
        Assert.True(when.Length > 4096);

        var error = Assert.Single(TriggerSetCompilerTests.Errors(TriggerRig.OneTrigger(when)));

        Assert.Contains("limit is 4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_DeeperThanTheLimit_IsRejected()
    {
        var when = new string('(', 40) + "primary.brake" + new string(')', 40);

        var error = Assert.Single(TriggerSetCompilerTests.Errors(TriggerRig.OneTrigger(when)));

        Assert.Contains("nested deeper than 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_WithinTheLimit_IsAccepted()
    {
        var when = new string('(', 30) + "primary.brake" + new string(')', 30);

        Assert.NotNull(TriggerRig.Compile(TriggerRig.OneTrigger(when)));
    }

    [Fact]
    public void MoreNodesThanTheLimit_IsRejected()
    {
        var when = string.Join(" + ", Enumerable.Repeat("1", 300)) + " > 0";

        var error = Assert.Single(TriggerSetCompilerTests.Errors(TriggerRig.OneTrigger(when)));

        Assert.Contains("more than 512 nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreTriggersThanTheLimit_IsRejected()
    {
        var yaml = new StringBuilder("schemaVersion: 1\nversion: 1\ntriggers:\n");
        for (var i = 0; i < 65; i++)
        {
            yaml.Append("  - id: t").Append(i).Append("\n    when: primary.brake\n");
        }

        var error = Assert.Single(TriggerSetCompilerTests.Errors(yaml.ToString()));

        Assert.Equal("triggers", error.Field);
        Assert.Contains("limit is 64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("held(primary.brake, 31s)")]
    [InlineData("mean(vehicle.speed, 1m) > 3")]
    [InlineData("disagree(shadow.steering, primary.steering, 0.1, 45s)")]
    public void Window_LongerThan30s_IsRejected(string when)
    {
        var error = Assert.Single(TriggerSetCompilerTests.Errors(TriggerRig.OneTrigger(when)));

        Assert.Contains("longer than the limit of 30s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredLimits_AreApplied()
    {
        var limits = TriggerLimits.Default with { MaxWindow = TimeSpan.FromSeconds(2), MaxNodes = 5, MaxTriggers = 1 };
        var yaml = "schemaVersion: 1\nversion: 1\ntriggers:\n  - id: a\n    when: held(primary.brake, 3s)\n  - id: b\n    when: vehicle.speed + 1 + 2 + 3 > 0\n";

        var errors = TriggerSetCompilerTests.Errors(yaml, limits);

        Assert.Contains(errors, e => e.Field == "triggers" && e.Message.Contains("limit is 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.TriggerId == "a" && e.Message.Contains("limit of 2s", StringComparison.Ordinal));
    }

    [Fact]
    public void Document_LargerThanTheLimit_IsRejectedBeforeParsing()
    {
        var limits = TriggerLimits.Default with { MaxDocumentLength = 100 };

        var error = Assert.Single(TriggerSetCompilerTests.Errors(TriggerRig.OneTrigger(new string('x', 200)), limits));

        Assert.Equal("document", error.Field);
    }

    [Fact]
    public void YamlAliasBomb_IsRejectedNotExpanded()
    {
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 9; i++)
        {
            yaml.Append('a').Append(i).Append(": &a").Append(i).Append(" [")
                .Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))).Append("]\n");
        }

        var error = Assert.Single(TriggerSetCompilerTests.Errors(yaml.ToString()));

        Assert.Equal("document", error.Field);
        Assert.Contains("nodes", error.Message, StringComparison.Ordinal);
    }
}
