using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Inference;

/// <summary>Scores per class → the best <c>TopK</c> classes (label text or index) and their scores, softmax optional.</summary>
internal sealed class ClassificationAdapter : OutputAdapter
{
    public static OutputAdapterDescriptor Descriptor { get; } = new()
    {
        Kind = ModelOutputKind.Classification,
        Signals = Signals,
        ConfiguredSignalNames = options => [options.ClassSignal, options.ScoreSignal],
        Tensors = options => [options.Tensor!],
        Problems = OutputAdapterDescriptor.TensorRequired,
        Create = (model, baseDirectory, outputs) => new ClassificationAdapter(model.Name, model.Output, baseDirectory, outputs[model.Output.Tensor!]),
    };

    private readonly TensorBuffer _scores;
    private readonly bool _softmax;
    private readonly int _topK;
    private readonly SignalValue[]? _labels;
    private readonly float[] _probabilities;
    private readonly int[] _best;

    public ClassificationAdapter(string model, ModelOutputOptions options, string baseDirectory, TensorBuffer scores)
    {
        _scores = scores;
        _softmax = options.Softmax;
        var classes = scores.Length;
        if (scores.Shape.Length == 0 || scores.Shape[0] != 1 || classes < 1)
        {
            throw new ModelConfigurationException($"Model '{model}': classification output {scores.Describe()} is not [1, classes].");
        }

        _topK = Math.Min(options.TopK, classes);
        if (options.TopK > classes)
        {
            throw new ModelConfigurationException($"Model '{model}': Output:TopK is {options.TopK} but output {scores.Describe()} has {classes} classes.");
        }

        if (options.LabelsPath is { } labelsPath)
        {
            var path = Path.GetFullPath(labelsPath, baseDirectory);
            if (!File.Exists(path))
            {
                throw new ModelConfigurationException($"Model '{model}': labels file not found: {path}");
            }

            var labels = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            if (labels.Length != classes)
            {
                throw new ModelConfigurationException($"Model '{model}': labels file {path} has {labels.Length} labels but output {scores.Describe()} has {classes} classes.");
            }

            // Made once: publishing a label allocates nothing.
            _labels = [.. labels.Select(SignalValue.FromText)];
        }

        _probabilities = new float[classes];
        _best = new int[_topK];
    }

    /// <summary>Per rank r (1 to TopK): the class, then its score; rank r &gt; 1 adds <c>.r</c> to both names.</summary>
    private static IReadOnlyList<(string Name, SignalKind Kind)> Signals(ModelOutputOptions options)
    {
        var classKind = options.LabelsPath is null ? SignalKind.Number : SignalKind.Text;
        var signals = new List<(string, SignalKind)>();
        for (var rank = 1; rank <= options.TopK; rank++)
        {
            var suffix = rank == 1 ? string.Empty : $".{rank}";
            signals.Add((options.ClassSignal + suffix, classKind));
            signals.Add((options.ScoreSignal + suffix, SignalKind.Number));
        }

        return signals;
    }

    public override void Write(ContentArea area, Span<SignalValue> signals)
    {
        var p = _probabilities.AsSpan();
        _scores.Span.CopyTo(p);
        if (_softmax)
        {
            Softmax(p);
        }

        for (var rank = 0; rank < _topK; rank++)
        {
            var best = -1;
            for (var c = 0; c < p.Length; c++)
            {
                if ((best < 0 || p[c] > p[best]) && !_best.AsSpan(0, rank).Contains(c))
                {
                    best = c;
                }
            }

            _best[rank] = best;
            signals[2 * rank] = _labels is null ? SignalValue.FromNumber(best) : _labels[best];
            signals[(2 * rank) + 1] = SignalValue.FromNumber(p[best]);
        }
    }

    /// <summary>Numerically stable: subtract the maximum before exponentiating.</summary>
    internal static void Softmax(Span<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values)
        {
            max = MathF.Max(max, v);
        }

        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }
}
