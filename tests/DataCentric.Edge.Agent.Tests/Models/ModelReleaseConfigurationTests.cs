using DataCentric.Edge.Agent.Configuration;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Agent.Tests.Models;

/// <summary>The activation settings of the ModelReleases section: each bad value reported with its key.</summary>
[Trait("Category", "Unit")]
public sealed class ModelReleaseConfigurationTests
{
    [Theory]
    [InlineData("ProbationFrames", "0")]
    [InlineData("ProbationTimeout", "00:00:00")]
    [InlineData("ProbationTimeout", "02:00:00")]
    [InlineData("LatencyTolerance", "0.5")]
    [InlineData("MemoryLimitBytes", "1000")]
    [InlineData("LoadCostFactor", "-1")]
    [InlineData("HealthyAfter", "-00:05:00")]
    [InlineData("CrashLoopStarts", "0")]
    public void BadActivationSetting_IsReported_WithItsKey(string field, string value)
    {
        var errors = AgentConfiguration.Validate(Configuration(($"ModelReleases:{field}", value)));

        Assert.Contains(errors, e => e.StartsWith($"ModelReleases:{field}: ", StringComparison.Ordinal));
    }

    [Fact]
    public void GoodActivationSettings_Pass()
    {
        Assert.Empty(AgentConfiguration.Validate(Configuration(
            ("ModelReleases:ProbationFrames", "50"), ("ModelReleases:ProbationTimeout", "00:05:00"), ("ModelReleases:LatencyTolerance", "2"),
            ("ModelReleases:MemoryLimitBytes", "536870912"), ("ModelReleases:LoadCostFactor", "1.5"), ("ModelReleases:HealthyAfter", "00:10:00"),
            ("ModelReleases:CrashLoopStarts", "5"))));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
