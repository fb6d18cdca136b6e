using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Device.Inference;

/// <summary>How a camera frame becomes the model's image input tensor.</summary>
public sealed class ImageInputOptions
{
    [Required]
    public string Name { get; set; } = "image";

    /// <summary>Input width and height; 0 takes them from the model (which must then fix them).</summary>
    [Range(0, 8192)]
    public int Width { get; set; }

    [Range(0, 8192)]
    public int Height { get; set; }

    public ImageResize Resize { get; set; } = ImageResize.Stretch;

    /// <summary>Grey level (0..255) of the bars a letterbox adds.</summary>
    [Range(0, 255)]
    public int LetterboxFill { get; set; } = 114;

    public ChannelOrder ChannelOrder { get; set; } = ChannelOrder.Rgb;

    public TensorLayout Layout { get; set; } = TensorLayout.Nchw;

    public TensorElement Element { get; set; } = TensorElement.Float32;

    /// <summary>float32 only: value = (pixel × Scale − Mean[c]) / Std[c], per channel in <see cref="ChannelOrder"/>.</summary>
    public float Scale { get; set; } = 1f / 255f;

    /// <summary>Three values, or none for 0.</summary>
    public IList<float> Mean { get; } = [];

    /// <summary>Three values, or none for 1.</summary>
    public IList<float> Std { get; } = [];

    public IEnumerable<string> Problems()
    {
        if (Mean.Count is not (0 or 3))
        {
            yield return $"Input:{nameof(Mean)}: give three values (one per channel), not {Mean.Count}";
        }

        if (Std.Count is not (0 or 3) || Std.Any(s => s == 0 || !float.IsFinite(s)))
        {
            yield return $"Input:{nameof(Std)}: give three finite non-zero values (one per channel)";
        }

        if ((Width == 0) != (Height == 0))
        {
            yield return $"Input: give both {nameof(Width)} and {nameof(Height)}, or neither";
        }

        if (Element == TensorElement.Uint8 && (Mean.Count > 0 || Std.Count > 0))
        {
            yield return $"Input: a uint8 input takes raw pixels; {nameof(Mean)}/{nameof(Std)} apply to float32 only";
        }
    }
}

public enum ImageResize
{
    /// <summary>Scale to the input size, ignoring the aspect ratio.</summary>
    Stretch,

    /// <summary>Keep the aspect ratio and pad with <see cref="ImageInputOptions.LetterboxFill"/> (YOLO style).</summary>
    Letterbox,
}

public enum ChannelOrder
{
    Rgb,
    Bgr,
}

public enum TensorLayout
{
    Nchw,
    Nhwc,
}

public enum TensorElement
{
    Float32,
    Uint8,
}
