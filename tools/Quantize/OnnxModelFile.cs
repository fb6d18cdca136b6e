using Google.Protobuf;
using Onnx;

namespace DataCentric.Edge.Quantize;

/// <summary>Reads an ONNX model with errors that name the file, and writes one atomically (temp file, then rename).</summary>
public static class OnnxModelFile
{
    /// <exception cref="QuantizationException">The file is missing, unreadable, or not an ONNX model.</exception>
    public static ModelProto Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new QuantizationException($"{fullPath}: model file not found.");
        }

        ModelProto model;
        try
        {
            using var stream = File.OpenRead(fullPath);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            // Before IOException, which it derives from.
            throw new QuantizationException($"{fullPath}: not an ONNX model (the bytes are not an ONNX ModelProto: {e.Message}).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QuantizationException($"{fullPath}: cannot read the model file: {e.Message}", e);
        }

        // Protobuf parses many byte strings into some message: a model needs at least a graph and an opset.
        if (model.Graph is null || model.Graph.Node.Count == 0 || model.OpsetImport.Count == 0 || model.IrVersion <= 0)
        {
            throw new QuantizationException($"{fullPath}: not an ONNX model (no graph, no nodes or no opset).");
        }

        return model;
    }

    /// <summary>
    /// Writes the model next to <paramref name="path"/> under a temporary name and renames it over the
    /// target, so a reader never sees half a file and a failure leaves nothing behind.
    /// </summary>
    /// <exception cref="QuantizationException">The directory does not exist or cannot be written.</exception>
    public static void SaveAtomically(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var fullPath = Path.GetFullPath(path);
        var directory = CheckOutputDirectory(fullPath);
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new QuantizationException($"{fullPath}: cannot write the output model: {e.Message}", e);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Checked before any work, so a typo in the output path fails in a second, not after calibration.</summary>
    /// <exception cref="QuantizationException">The output's directory does not exist.</exception>
    public static string CheckOutputDirectory(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(directory))
        {
            throw new QuantizationException($"{fullPath}: the output directory {directory} does not exist.");
        }

        if (Directory.Exists(fullPath))
        {
            throw new QuantizationException($"{fullPath}: the output path is a directory; give a file name.");
        }

        return directory;
    }
}
