using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Backtest;
using DataCentric.Edge.Device;
using DataCentric.Edge.Device.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Cli.Commands.Backtest;

/// <summary>
/// Runs a drive's recorded frames through another model, with the agent's own ONNX Runtime engine
/// configured as the drive's model was (its <c>Inference</c> settings travel in the drive), as fast
/// as the CPU allows, and returns the model's signals at the frames' times in place of the recorded ones.
/// </summary>
internal static class ModelReplay
{
    /// <exception cref="ReplayException">The drive has no frames or no model settings, or the model does not fit them.</exception>
    public static IReadOnlyList<BacktestSample> Run(
        string driveName, RecordedDrive drive, IReadOnlyList<BacktestSample> samples, FileInfo model, string? modelName, ReplayProgress progress)
    {
        var frames = drive.Content.Frames.OrderBy(f => f.Time).ToList();
        if (frames.Count == 0)
        {
            throw new ReplayException($"drive {driveName} has no frames, so --model has nothing to run on: record it with frames (dce-agent record --frames, edgectl drives record --frames)");
        }

        var options = ModelOptions(driveName, drive, model, modelName);
        OnnxInferenceEngine engine;
        try
        {
            engine = OnnxInferenceEngine.Load(options, Environment.CurrentDirectory);
        }
        catch (ModelConfigurationException e)
        {
            throw new ReplayException($"model {model.FullName} does not fit drive {driveName}'s model settings: {e.Message}", e);
        }

        using (engine)
        {
            var signals = engine.Outputs;
            var values = new SignalValue[signals.Count];
            var replaced = signals.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            var result = samples.Where(s => !replaced.Contains(s.Signal)).ToList();
            progress.Start(frames.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                var frame = frames[i];
                try
                {
                    engine.Infer(frame, values);
                }
                catch (Exception e) when (e is InvalidDataException or OnnxRuntimeException)
                {
                    throw new ReplayException($"model {model.Name} cannot run on frame {frame.Sequence} ({frame.Width}x{frame.Height} {frame.Format}, {i + 1} of {frames.Count}) of drive {driveName}: {e.Message}", e);
                }

                for (var s = 0; s < signals.Count; s++)
                {
                    result.Add(new BacktestSample(frame.Time, signals[s].Name, values[s]));
                }

                progress.Advance(i + 1);
            }

            progress.Finish();
            return [.. result.OrderBy(s => s.Time)];
        }
    }

    /// <summary>The drive's model settings (<c>config:Inference:…</c> metadata) with the model file replaced.</summary>
    private static ShadowModelOptions ModelOptions(string driveName, RecordedDrive drive, FileInfo model, string? modelName)
    {
        var prefix = DriveMetadataKeys.InferenceConfigPrefix;
        var settings = drive.Content.Metadata
            .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(pair => new KeyValuePair<string, string?>(pair.Key[prefix.Length..], pair.Value))
            .ToList();
        InferenceOptions inference;
        try
        {
            inference = DeviceConfiguration.Inference.Get(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        }
        catch (InvalidOperationException e)
        {
            throw new ReplayException($"drive {driveName}: its model settings do not read: {e.Message}", e);
        }

        if (inference.Models.Count == 0)
        {
            throw new ReplayException($"drive {driveName} does not say how its model was configured (no Inference settings in it), so --model cannot be fed like it: record it with dce-agent record");
        }

        var chosen = modelName is null
            ? inference.Models[0]
            : inference.Models.FirstOrDefault(m => m.Name == modelName)
                ?? throw new ReplayException($"drive {driveName} has no model '{modelName}' (it has: {string.Join(", ", inference.Models.Select(m => m.Name))})");
        chosen.ModelPath = model.FullName;
        chosen.IntraOpThreads = Math.Clamp(Environment.ProcessorCount, 1, 64);
        chosen.ExecutionProviders.Clear();
        return chosen;
    }
}

/// <summary>A replay that cannot run as asked; the message names the drive, the model and what does not fit.</summary>
internal sealed class ReplayException(string message, Exception? inner = null) : Exception(message, inner);
