using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>The Api section: bound strictly, every problem reported at once naming the entry, never a token.</summary>
[Trait("Category", "Unit")]
public sealed class ApiOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new("dce-fleet-api-options");

    [Fact]
    public void Defaults_AreValid_AndAllowFoxglove()
    {
        var options = FleetApiServiceCollectionExtensions.Section.Get(new ConfigurationBuilder().Build());

        Assert.True(new ApiOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(["https://app.foxglove.dev"], options.EffectiveOrigins());
        Assert.Equal(TimeSpan.FromHours(1), options.LinkValidFor);
    }

    [Fact]
    public void BadEntries_AreAllReported_NamingTheEntry_AndNoTokenIsShown()
    {
        var shortToken = _dir.Combine("short.token");
        File.WriteAllText(shortToken, "tiny-secret\n");
        var options = Bind(new Dictionary<string, string?>
        {
            ["Api:Tokens:0:Name"] = "alice",
            ["Api:Tokens:0:TokenSha256"] = "abc",
            ["Api:Tokens:1:Name"] = "alice",
            ["Api:Tokens:1:TokenFile"] = shortToken,
            ["Api:Tokens:2:Name"] = "bob",
            ["Api:Tokens:3:Name"] = "carol",
            ["Api:Tokens:3:TokenFile"] = _dir.Combine("missing.token"),
            ["Api:Tokens:4:TokenSha256"] = new string('a', 64),
            ["Api:AllowedOrigins:0"] = "https://app.foxglove.dev/",
            ["Api:LinkValidFor"] = "-00:00:01",
            ["Api:LinkKeyFile"] = shortToken,
        });

        var result = new ApiOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Api:Tokens:0:TokenSha256:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Api:Tokens:1:Name: 'alice' is used", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Api:Tokens:1:TokenFile:", StringComparison.Ordinal) && f.Contains("shorter", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Api:Tokens:2: give exactly one", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Api:Tokens:3:TokenFile:", StringComparison.Ordinal) && f.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Api:Tokens:4:Name: required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Api:AllowedOrigins:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Api:LinkValidFor:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Api:LinkKeyFile:", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("tiny-secret", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownKeyOrRole_IsRefusedWhenBound()
    {
        Assert.Throws<InvalidOperationException>(() => Bind(new Dictionary<string, string?> { ["Api:Tokenz:0:Name"] = "x" }));
        Assert.Throws<InvalidOperationException>(() => Bind(new Dictionary<string, string?> { ["Api:Tokens:0:Role"] = "admin" }));
    }

    public void Dispose() => _dir.Dispose();

    private static ApiOptions Bind(Dictionary<string, string?> settings) =>
        FleetApiServiceCollectionExtensions.Section.Get(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}
