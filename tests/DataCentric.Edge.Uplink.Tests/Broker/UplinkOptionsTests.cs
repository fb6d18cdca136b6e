using System.ComponentModel.DataAnnotations;
using DataCentric.Edge.Uplink.Broker;

namespace DataCentric.Edge.Uplink.Tests.Broker;

[Trait("Category", "Unit")]
public sealed class UplinkOptionsTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.Empty(Problems(new UplinkOptions()));

    [Theory]
    [InlineData(0, 30, "NoReceiverRetry must be positive")]
    [InlineData(10, 5, "MaxNoReceiverRetry (00:00:05) must be at least NoReceiverRetry (00:00:10)")]
    [InlineData(5, 600, "below AckTimeout (00:10:00)")]
    public void NoReceiverRetry_OutOfBounds_IsRefusedSayingWhy(int retrySeconds, int maxSeconds, string expected)
    {
        var options = new UplinkOptions { NoReceiverRetry = TimeSpan.FromSeconds(retrySeconds), MaxNoReceiverRetry = TimeSpan.FromSeconds(maxSeconds) };

        Assert.Contains(Problems(options), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ProgressSaveInterval_Zero_IsRefused() =>
        Assert.Contains(Problems(new UplinkOptions { ProgressSaveInterval = TimeSpan.Zero }), p => p.Contains("ProgressSaveInterval", StringComparison.Ordinal));

    private static List<string> Problems(UplinkOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }
}
