using DataCentric.Edge.Core.Configuration;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// The model's image input checked against <see cref="ImageInputOptions"/>: its name, element type,
/// shape and pre-processor. The buffers frames are written into are <see cref="InputSlot"/>s.
/// </summary>
internal sealed class InputPlan : IDisposable
{
    private InputPlan(string name, ImagePreprocessor preprocessor, TensorElementType element, long[] shape)
    {
        Name = name;
        Preprocessor = preprocessor;
        Element = element;
        Shape = shape;
    }

    public string Name { get; }

    public ImagePreprocessor Preprocessor { get; }

    public TensorElementType Element { get; }

    public long[] Shape { get; }

    /// <exception cref="ModelConfigurationException">The model's input does not match the configured pre-processing.</exception>
    public static InputPlan Create(InferenceSession session, ShadowModelOptions model)
    {
        var options = model.Input;
        var name = options.Name;
        if (!session.InputMetadata.TryGetValue(name, out var input))
        {
            throw Mismatch(model, $"no input named '{name}' (Input:Name); the model has {string.Join(", ", session.InputMetadata.Keys)}");
        }

        if (session.InputMetadata.Count > 1)
        {
            throw Mismatch(model, $"it has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}); only single-image-input models are supported");
        }

        var expectedType = options.Element == TensorElement.Float32 ? TensorElementType.Float : TensorElementType.UInt8;
        var dims = input.Dimensions;
        var shape = $"{input.ElementDataType}[{string.Join(",", dims)}]";
        if (input.ElementDataType != expectedType)
        {
            throw Mismatch(model, $"input '{name}' is {shape} but Input:Element is {options.Element}");
        }

        if (dims.Length != 4 || dims[0] > 1)
        {
            throw Mismatch(model, $"input '{name}' is {shape}; expected a single image [1,3,H,W] (NCHW) or [1,H,W,3] (NHWC)");
        }

        var (channelAxis, heightAxis, widthAxis) = options.Layout == TensorLayout.Nchw ? (1, 2, 3) : (3, 1, 2);
        if (dims[channelAxis] != 3)
        {
            var other = options.Layout == TensorLayout.Nchw ? TensorLayout.Nhwc : TensorLayout.Nchw;
            var hint = dims[other == TensorLayout.Nchw ? 1 : 3] == 3 ? $" (it looks {other})" : string.Empty;
            throw Mismatch(model, $"input '{name}' is {shape}: Input:Layout {options.Layout} needs 3 channels on axis {channelAxis}{hint}");
        }

        var height = Resolve(model, name, "Height", dims[heightAxis], options.Height);
        var width = Resolve(model, name, "Width", dims[widthAxis], options.Width);
        long[] tensorShape = options.Layout == TensorLayout.Nchw ? [1, 3, height, width] : [1, height, width, 3];
        return new InputPlan(name, new ImagePreprocessor(options, width, height), expectedType, tensorShape);
    }

    private static int Resolve(ShadowModelOptions model, string input, string what, int fromModel, int configured)
    {
        if (fromModel > 0 && configured > 0 && fromModel != configured)
        {
            throw Mismatch(model, $"input '{input}' has {what.ToLowerInvariant()} {fromModel} but Input:{what} is {configured}");
        }

        if (fromModel <= 0 && configured <= 0)
        {
            throw Mismatch(model, $"input '{input}' has a dynamic {what.ToLowerInvariant()}: set Input:{what}");
        }

        return fromModel > 0 ? fromModel : configured;
    }

    private static ModelConfigurationException Mismatch(ShadowModelOptions model, string what) =>
        new($"Model '{model.Name}' does not match its configuration: {what}.");

    public void Dispose() => Preprocessor.Dispose();
}
