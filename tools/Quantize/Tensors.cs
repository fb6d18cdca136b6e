using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace DataCentric.Edge.Quantize;

/// <summary>Reads float initializers (packed float_data or raw_data) and writes new ones as raw little-endian data.</summary>
internal static class Tensors
{
    public static long ElementCount(TensorProto tensor) => tensor.Dims.Aggregate(1L, (n, d) => n * d);

    /// <exception cref="QuantizationException">Not a float tensor, stored outside the file, or the wrong size.</exception>
    public static float[] ReadFloats(TensorProto tensor, string where)
    {
        if (tensor.DataType != (int)DataType.Float)
        {
            throw new QuantizationException($"{where}: initializer '{tensor.Name}' is {(DataType)tensor.DataType}, expected Float.");
        }

        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new QuantizationException($"{where}: initializer '{tensor.Name}' is stored in an external file; dce-quantize reads self-contained models only.");
        }

        var count = ElementCount(tensor);
        float[] values;
        if (!tensor.RawData.IsEmpty)
        {
            var raw = tensor.RawData.Span;
            values = new float[raw.Length / sizeof(float)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float), sizeof(float)));
            }
        }
        else
        {
            values = [.. tensor.FloatData];
        }

        if (values.Length != count)
        {
            throw new QuantizationException($"{where}: initializer '{tensor.Name}' has {values.Length} values for dims [{string.Join(",", tensor.Dims)}].");
        }

        return values;
    }

    public static TensorProto Floats(string name, long[] dims, ReadOnlySpan<float> values) =>
        Raw(name, DataType.Float, dims, LittleEndian(values));

    public static TensorProto Int8s(string name, long[] dims, ReadOnlySpan<sbyte> values) =>
        Raw(name, DataType.Int8, dims, MemoryMarshal.AsBytes(values).ToArray());

    public static TensorProto Int32s(string name, long[] dims, ReadOnlySpan<int> values)
    {
        var bytes = new byte[values.Length * sizeof(int)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), values[i]);
        }

        return Raw(name, DataType.Int32, dims, bytes);
    }

    public static TensorProto FloatScalar(string name, float value) => Floats(name, [], [value]);

    public static TensorProto UInt8Scalar(string name, byte value) => Raw(name, DataType.Uint8, [], [value]);

    private static byte[] LittleEndian(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }

    private static TensorProto Raw(string name, DataType type, long[] dims, byte[] bytes)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.Add(dims);
        return tensor;
    }
}
