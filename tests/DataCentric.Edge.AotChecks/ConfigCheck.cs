using DataCentric.Edge.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.AotChecks;

/// <summary>
/// The whole-config validation in native code, where the binder is the source-generated one: a
/// board's config with a typo'd key, a value that does not convert and a list entry out of range.
/// </summary>
internal static class ConfigCheck
{
    public static Task<string?> RunAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sources:Camera:Kind"] = "V4l2",
            ["Sources:Camera:Widht"] = "640",
            ["Recorder:MaxClipLength"] = "three seconds",
            ["Inference:Models:0:Name"] = "detector",
            ["Inference:Models:0:ModelPath"] = "models/detector.onnx",
            ["Inference:Models:0:Output:Kind"] = "Regression",
            ["Inference:Models:0:Output:Scalars:score"] = "shadow.score",
            ["Inference:Models:0:EveryNthFrame"] = "0",
        }).Build();

        var errors = AgentConfigurationValidator.Validate(configuration);
        var all = string.Join("\n", errors);
        Check.That(errors.Any(e => e.StartsWith("Sources:Camera", StringComparison.Ordinal) && e.Contains("Widht", StringComparison.Ordinal)), $"no error names the unknown key Widht:\n{all}");
        Check.That(errors.Any(e => e.Contains("Recorder:MaxClipLength", StringComparison.Ordinal)), $"no error names Recorder:MaxClipLength:\n{all}");
        Check.That(errors.Any(e => e.Contains("Models:0:EveryNthFrame", StringComparison.Ordinal)), $"no error names Models:0:EveryNthFrame:\n{all}");

        // And the same sections bind when they are right, list and dictionary included.
        configuration["Sources:Camera:Widht"] = null;
        configuration["Recorder:MaxClipLength"] = "00:00:03";
        configuration["Inference:Models:0:EveryNthFrame"] = "2";
        var fixedErrors = AgentConfigurationValidator.Validate(new ConfigurationBuilder().AddInMemoryCollection(
            configuration.AsEnumerable().Where(p => p.Value is not null)).Build());
        Check.That(fixedErrors.Count == 0, $"the corrected config is refused:\n{string.Join("\n", fixedErrors)}");
        return Task.FromResult<string?>(null);
    }
}
