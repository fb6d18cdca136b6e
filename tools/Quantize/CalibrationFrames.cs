using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Sources.Simulation;
using SkiaSharp;

namespace DataCentric.Edge.Quantize;

/// <summary>An encoded calibration frame and where it came from (for messages).</summary>
public sealed record CalibrationFrame(string Source, string Format, int Width, int Height, byte[] Data);

/// <summary>
/// Where calibration frames come from: the agent's synthetic scene (the default), or a directory of
/// JPEG files taken on the board's camera.
/// </summary>
public static class CalibrationFrames
{
    public const int DefaultCount = 32;

    private static readonly SyntheticSceneOptions Scene = new();

    /// <summary>
    /// The times sampled from the synthetic scene (default options): <paramref name="count"/> evenly
    /// spaced instants over the empty road before the first episode and the whole first episode
    /// (approach from 60 m to 4 m, standing, gone), so the states vary in distance and road offset.
    /// </summary>
    public static IReadOnlyList<TimeSpan> SyntheticTimes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var span = Scene.FirstEpisodeAt + Scene.EpisodePeriod;
        return [.. Enumerable.Range(0, count).Select(i => span * ((i + 0.5) / count))];
    }

    /// <summary>
    /// Instants for checking a quantized model on frames it was not calibrated on: halfway between
    /// the default calibration instants, <paramref name="count"/> of them spread over the same span.
    /// </summary>
    public static IReadOnlyList<TimeSpan> HeldOutTimes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, DefaultCount - 1);
        var span = Scene.FirstEpisodeAt + Scene.EpisodePeriod;
        return [.. Enumerable.Range(0, count).Select(i => span * ((1.0 + (i * (DefaultCount - 1) / count)) / DefaultCount))];
    }

    /// <summary>The synthetic scene at <see cref="SyntheticTimes"/>, rendered as the agent's camera does (640×480 JPEG).</summary>
    public static IReadOnlyList<CalibrationFrame> Synthetic(int count)
    {
        CheckCount(count, "synthetic");
        return Render(SyntheticTimes(count));
    }

    /// <summary>The synthetic scene at <see cref="HeldOutTimes"/>.</summary>
    public static IReadOnlyList<CalibrationFrame> SyntheticHeldOut(int count)
    {
        CheckCount(count, "synthetic");
        if (count > DefaultCount - 1)
        {
            throw new QuantizationException($"synthetic held-out frames: --frames {count}; at most {DefaultCount - 1} lie between the calibration frames.");
        }

        return Render(HeldOutTimes(count));
    }

    private static IReadOnlyList<CalibrationFrame> Render(IReadOnlyList<TimeSpan> times)
    {
        var scene = new SyntheticScene(Scene);
        using var renderer = new SceneRenderer(Scene.Width, Scene.Height, Scene.JpegQuality);
        return [.. times.Select(t =>
        {
            var state = scene.StateAt(t);
            return new CalibrationFrame($"synthetic scene at {t.TotalSeconds:F3} s", "jpeg", renderer.Width, renderer.Height, renderer.RenderJpeg(state));
        })];
    }

    /// <summary>The first <paramref name="count"/> .jpg/.jpeg files of the directory, in ordinal name order.</summary>
    /// <exception cref="QuantizationException">No such directory, no JPEG in it, or a file that is not a decodable image.</exception>
    public static IReadOnlyList<CalibrationFrame> FromDirectory(string directory, int count)
    {
        CheckCount(count, directory);
        var fullPath = Path.GetFullPath(directory);
        if (!Directory.Exists(fullPath))
        {
            throw new QuantizationException($"{fullPath}: calibration directory not found (--calibration takes 'synthetic' or a directory of .jpg files).");
        }

        var files = Directory.EnumerateFiles(fullPath)
            .Where(f => Path.GetExtension(f).ToUpperInvariant() is ".JPG" or ".JPEG")
            .Order(StringComparer.Ordinal)
            .Take(count)
            .ToList();
        if (files.Count == 0)
        {
            throw new QuantizationException($"{fullPath}: no .jpg or .jpeg files to calibrate with.");
        }

        return [.. files.Select(Read)];
    }

    private static CalibrationFrame Read(string file)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QuantizationException($"{file}: cannot read the calibration image: {e.Message}", e);
        }

        using var codec = SKCodec.Create(new MemoryStream(data))
            ?? throw new QuantizationException($"{file}: not a decodable image.");
        return new CalibrationFrame(file, "jpeg", codec.Info.Width, codec.Info.Height, data);
    }

    private static void CheckCount(int count, string source)
    {
        if (count < 1)
        {
            throw new QuantizationException($"calibration from {source}: --frames {count}; calibration needs at least 1 frame.");
        }
    }
}
