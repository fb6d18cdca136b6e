using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Boxes → <c>shadow.boxes</c>: decodes YOLOv5 ([1, N, 5+C]), YOLOv8 ([1, 4+C, N]) or SSD-style
/// (boxes [1, N, 4] as ymin, xmin, ymax, xmax in 0..1; scores [1, N, C] or [1, N]) outputs, keeps
/// scores at or above the threshold, applies NMS, and maps boxes from the model input (letterbox
/// bars excluded) onto the image, in 0..1.
/// </summary>
internal sealed class DetectionAdapter : OutputAdapter
{
    public static OutputAdapterDescriptor Descriptor { get; } = new()
    {
        Kind = ModelOutputKind.Detection,
        Signals = options => [(options.BoxesSignal, SignalKind.Detections)],
        Tensors = options => options.DetectionLayout == DetectionLayout.Ssd ? [options.BoxesTensor!, options.ScoresTensor!] : [options.Tensor!],
        Problems = Problems,
        Create = (model, _, outputs) => new DetectionAdapter(model.Name, model.Output, outputs),
    };

    private static readonly Detection[] None = [];
    private readonly DetectionLayout _layout;
    private readonly TensorBuffer _data;
    private readonly TensorBuffer _scores;
    private readonly int _anchors;
    private readonly int _classes;
    private readonly float _threshold;
    private readonly float _iou;
    private readonly int _max;
    private readonly Detection[] _candidates;

    public DetectionAdapter(string model, ModelOutputOptions options, IReadOnlyDictionary<string, TensorBuffer> outputs)
    {
        _layout = options.DetectionLayout;
        _threshold = options.ScoreThreshold;
        _iou = options.IouThreshold;
        _max = options.MaxDetections;
        if (_layout == DetectionLayout.Ssd)
        {
            var boxes = outputs[options.BoxesTensor!];
            var scores = outputs[options.ScoresTensor!];
            if (boxes.Shape is not [1, var n, 4] || scores.Shape is not ([1, _] or [1, _, _]) || scores.Shape[1] != n)
            {
                throw new ModelConfigurationException(
                    $"Model '{model}': SSD outputs {boxes.Describe()} and {scores.Describe()} are not boxes [1,N,4] and scores [1,N] or [1,N,classes].");
            }

            _anchors = (int)n;
            _classes = scores.Shape.Length == 3 ? (int)scores.Shape[2] : 1;
            _data = boxes;
            _scores = scores;
        }
        else
        {
            var output = outputs[options.Tensor!];
            var attributes = _layout == DetectionLayout.YoloV8 ? 4 : 5;
            var (anchors, perAnchor) = output.Shape is [1, var a, var b]
                ? (_layout == DetectionLayout.YoloV8 ? (b, a) : (a, b))
                : (-1, -1);
            if (anchors < 1 || perAnchor <= attributes)
            {
                var expected = _layout == DetectionLayout.YoloV8 ? "[1, 4+classes, N]" : "[1, N, 5+classes]";
                throw new ModelConfigurationException($"Model '{model}': {_layout} output {output.Describe()} is not {expected}.");
            }

            _anchors = (int)anchors;
            _classes = (int)perAnchor - attributes;
            _data = output;
            _scores = output;
        }

        _candidates = new Detection[_anchors];
    }

    private static IEnumerable<string> Problems(ModelOutputOptions options)
    {
        if (options.DetectionLayout != DetectionLayout.Ssd)
        {
            return OutputAdapterDescriptor.TensorRequired(options);
        }

        return string.IsNullOrWhiteSpace(options.BoxesTensor) || string.IsNullOrWhiteSpace(options.ScoresTensor)
            ? [$"Output: SSD detection needs {nameof(ModelOutputOptions.BoxesTensor)} and {nameof(ModelOutputOptions.ScoresTensor)}"]
            : [];
    }

    public override void Write(ContentArea area, Span<SignalValue> signals)
    {
        var count = _layout switch
        {
            DetectionLayout.YoloV8 => DecodeYoloV8(area),
            DetectionLayout.YoloV5 => DecodeYoloV5(area),
            _ => DecodeSsd(area),
        };
        var kept = NonMaxSuppression.Apply(_candidates.AsSpan(0, count), _iou, _max);
        signals[0] = SignalValue.FromDetections(kept == 0 ? None : _candidates.AsSpan(0, kept).ToArray());
    }

    private int DecodeYoloV8(ContentArea area)
    {
        var data = _data.Span;
        var n = _anchors;
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            var (classId, score) = Best(data, (4 * n) + i, n, _classes);
            if (score >= _threshold)
            {
                _candidates[count++] = FromCentre(area, classId, score, data[i], data[n + i], data[(2 * n) + i], data[(3 * n) + i]);
            }
        }

        return count;
    }

    private int DecodeYoloV5(ContentArea area)
    {
        var data = _data.Span;
        var stride = 5 + _classes;
        var count = 0;
        for (var i = 0; i < _anchors; i++)
        {
            var row = i * stride;
            var objectness = data[row + 4];
            if (objectness < _threshold)
            {
                continue;
            }

            var (classId, classScore) = Best(data, row + 5, 1, _classes);
            var score = objectness * classScore;
            if (score >= _threshold)
            {
                _candidates[count++] = FromCentre(area, classId, score, data[row], data[row + 1], data[row + 2], data[row + 3]);
            }
        }

        return count;
    }

    private int DecodeSsd(ContentArea area)
    {
        var data = _data.Span;
        var scores = _scores.Span;
        var count = 0;
        for (var i = 0; i < _anchors; i++)
        {
            var (classId, score) = Best(scores, i * _classes, 1, _classes);
            if (score < _threshold)
            {
                continue;
            }

            // Normalised to the model input: to input pixels, then onto the image.
            var inputWidth = area.InputWidth;
            var inputHeight = area.InputHeight;
            var top = area.NormaliseY(data[i * 4] * inputHeight);
            var left = area.NormaliseX(data[(i * 4) + 1] * inputWidth);
            var bottom = area.NormaliseY(data[(i * 4) + 2] * inputHeight);
            var right = area.NormaliseX(data[(i * 4) + 3] * inputWidth);
            _candidates[count++] = new Detection(classId, score, left, top, right - left, bottom - top);
        }

        return count;
    }

    private static (int ClassId, float Score) Best(ReadOnlySpan<float> data, int start, int step, int classes)
    {
        var best = 0;
        var score = data[start];
        for (var c = 1; c < classes; c++)
        {
            var value = data[start + (c * step)];
            if (value > score)
            {
                best = c;
                score = value;
            }
        }

        return (best, score);
    }

    private static Detection FromCentre(ContentArea area, int classId, float score, float cx, float cy, float w, float h) =>
        new(classId, score, area.NormaliseX(cx - (w / 2)), area.NormaliseY(cy - (h / 2)), w / area.Width, h / area.Height);
}
