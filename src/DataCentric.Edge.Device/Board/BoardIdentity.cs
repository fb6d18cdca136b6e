using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Device.Board;

/// <summary>Names the board this process runs on, and refuses a config written for another one.</summary>
public static class BoardIdentity
{
    public const string RaspberryPi4 = "raspberry-pi-4";
    public const string RaspberryPi5 = "raspberry-pi-5";
    public const string JetsonOrinNano = "jetson-orin-nano";
    public const string GenericX64 = "generic-x64";

    // How each board names itself in the device tree (the start of /proc/device-tree/model).
    private static readonly (string Prefix, string Board)[] ModelPrefixes =
    [
        ("Raspberry Pi 4", RaspberryPi4),
        ("Raspberry Pi Compute Module 4", RaspberryPi4),
        ("Raspberry Pi 5", RaspberryPi5),
        ("Raspberry Pi Compute Module 5", RaspberryPi5),
        ("NVIDIA Jetson Orin Nano", JetsonOrinNano),
    ];

    /// <summary>The board id, or null when it cannot be told; <paramref name="evidence"/> says what was read.</summary>
    public static string? Detect(string modelFile, Architecture architecture, out string evidence)
    {
        ArgumentNullException.ThrowIfNull(modelFile);
        if (File.Exists(modelFile))
        {
            // The device tree terminates the string with a NUL.
            var model = File.ReadAllText(modelFile).TrimEnd('\0', '\n', ' ');
            evidence = $"{modelFile} says \"{model}\"";
            return ModelPrefixes.FirstOrDefault(p => model.StartsWith(p.Prefix, StringComparison.Ordinal)).Board;
        }

        evidence = $"no {modelFile}, architecture {architecture}";
        return architecture == Architecture.X64 ? GenericX64 : null;
    }

    /// <summary>An error naming both boards when the config's <c>Board:Id</c> is not this machine; empty when it fits.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, Architecture architecture)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        BoardOptions options;
        try
        {
            options = configuration.GetSection(BoardOptions.SectionName).Get<BoardOptions>() ?? new BoardOptions();
        }
        catch (InvalidOperationException)
        {
            return []; // The validator reports the malformed section.
        }

        if (string.IsNullOrEmpty(options.Id))
        {
            return [];
        }

        var detected = Detect(options.ModelFile, architecture, out var evidence);
        if (detected == options.Id)
        {
            return [];
        }

        var machine = detected is null ? "a board this agent does not know" : $"'{detected}'";
        return [$"{BoardOptions.SectionName}:{nameof(BoardOptions.Id)}: this config is for '{options.Id}' but this machine is {machine} ({evidence}); install the config for this board"];
    }
}
