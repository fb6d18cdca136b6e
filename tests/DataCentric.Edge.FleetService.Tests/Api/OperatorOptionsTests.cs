using DataCentric.Edge.FleetService.Api;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.FleetService.Tests.Api;

[Trait("Category", "Unit")]
public sealed class OperatorOptionsTests
{
    [Fact]
    public void NoSection_IsValid_AndTheLinkIsOff()
    {
        var options = FleetApiServiceCollectionExtensions.OperatorSection.Get(new ConfigurationBuilder().Build());

        Assert.Null(options.Broker);
        Assert.True(new OperatorOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void BadValues_AreAllReported_WithTheirKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Operator:ClientId"] = "a/b",
            ["Operator:CommandTimeout"] = "00:00:00",
            ["Operator:RetryDelay"] = "00:01:00",
            ["Operator:MaxRetryDelay"] = "00:00:10",
            ["Operator:MaxAttempts"] = "0",
            ["Operator:Broker:Host"] = "",
            ["Operator:Broker:Port"] = "0",
            ["Operator:Broker:ClientCertificatePath"] = "/etc/dce-fleet/dce-operator.crt",
        }).Build();

        var result = new OperatorOptionsValidator().Validate(null, FleetApiServiceCollectionExtensions.OperatorSection.Get(configuration));

        Assert.Equal(
            ["Operator:ClientId", "Operator:CommandTimeout", "Operator:RetryDelay", "Operator:MaxAttempts", "Operator:Broker:Host", "Operator:Broker:Port", "Operator:Broker", "Operator:Broker:UseTls"],
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void UnknownKey_IsRefused_ByTheStrictBinder()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Operator:Brokr:Host"] = "x" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => FleetApiServiceCollectionExtensions.OperatorSection.Get(configuration));

        Assert.Contains("Brokr", error.Message, StringComparison.Ordinal);
    }
}
