using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.AotChecks;

/// <summary>
/// The whole-config validation in native code, where the binder is the source-generated one: a
/// board's config with a typo'd key, a value that does not convert and a list entry out of range;
/// then a typo inside a list entry alone; then the corrected config, which must bind.
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

        var errors = AgentConfiguration.Validate(configuration);
        var all = string.Join("\n", errors);
        Check.That(errors.Any(e => e.StartsWith("Sources:Camera", StringComparison.Ordinal) && e.Contains("Widht", StringComparison.Ordinal)), $"no error names the unknown key Widht:\n{all}");
        Check.That(errors.Any(e => e.Contains("Recorder:MaxClipLength", StringComparison.Ordinal)), $"no error names Recorder:MaxClipLength:\n{all}");
        Check.That(errors.Any(e => e.Contains("Models:0:EveryNthFrame", StringComparison.Ordinal)), $"no error names Models:0:EveryNthFrame:\n{all}");

        // Corrected, but for a typo inside the list entry: that alone is reported.
        configuration["Sources:Camera:Widht"] = null;
        configuration["Recorder:MaxClipLength"] = "00:00:03";
        configuration["Inference:Models:0:EveryNthFrame"] = "2";
        configuration["Inference:Models:0:Input:Layuot"] = "Nhwc";
        var listTypo = Validate(configuration);
        Check.That(listTypo.Count == 1 && listTypo[0].StartsWith("Inference", StringComparison.Ordinal) && listTypo[0].Contains("Layuot", StringComparison.Ordinal),
            $"expected one error naming the unknown key Layuot in a list entry:\n{string.Join("\n", listTypo)}");

        // And the same sections bind when they are right, list and dictionary included.
        configuration["Inference:Models:0:Input:Layuot"] = null;
        var fixedErrors = Validate(configuration);
        Check.That(fixedErrors.Count == 0, $"the corrected config is refused:\n{string.Join("\n", fixedErrors)}");
        return Task.FromResult<string?>(null);
    }

    /// <summary>Validates what is set (a null value stands for a removed key).</summary>
    private static IReadOnlyList<string> Validate(IConfiguration configuration) =>
        AgentConfiguration.Validate(new ConfigurationBuilder().AddInMemoryCollection(configuration.AsEnumerable().Where(p => p.Value is not null)).Build());
}
