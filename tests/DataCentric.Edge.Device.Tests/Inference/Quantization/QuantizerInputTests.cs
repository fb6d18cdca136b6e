using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;
using DataCentric.Edge.Quantize;
using DataCentric.Edge.TestKit;
using DataType = Onnx.TensorProto.Types.DataType;

namespace DataCentric.Edge.Device.Tests.Inference.Quantization;

/// <summary>
/// tools/Quantize's inputs on a tiny model: every bad one gives a clear error naming what and where and
/// writes nothing; good ones replace the output atomically.
/// </summary>
[Trait("Category", "Integration")]
public sealed class QuantizerInputTests : IDisposable
{
    private readonly TempDirectory _directory = new("dce-quantize");

    [Fact]
    public void MissingModelFile_NamesThePath()
    {
        var e = Quantize(_directory.Combine("nope.onnx"));

        Assert.Contains($"{_directory.Combine("nope.onnx")}: model file not found", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("truncated")]
    public void FileThatIsNotAnOnnxModel_SaysSo(string content)
    {
        var model = TinyConvNet.Build();
        var path = Write("notes.onnx", content == "text" ? "This is not a model."u8.ToArray() : model[..(model.Length / 2)]);

        var e = Quantize(path);

        Assert.Contains($"{path}: not an ONNX model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InputNameNotInTheModel_ListsTheModelsInputs()
    {
        var e = Quantize(ResNet18.OnnxPath, input: "image");

        Assert.Contains($"{ResNet18.OnnxPath}: no input named 'image' (--input); the model's inputs are: Input247.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedOperator_NamesTheNodeAndTheFile()
    {
        var path = Write("sigmoid.onnx", TinyConvNet.Build(appendOp: "Sigmoid"));

        var e = Quantize(path);

        Assert.Contains($"{path}: Sigmoid node 'sigmoid' (opset 8) is not supported; dce-quantize knows Conv, BatchNormalization", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFloatInput_NamesTheInputAndItsType()
    {
        var path = Write("bytes.onnx", TinyConvNet.Build(DataType.Uint8));

        var e = Quantize(path);

        Assert.Contains($"{path}: input 'image' is Uint8; dce-quantize quantizes models with a float input", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroCalibrationFrames_AreRefused()
    {
        var e = Quantize(Write("tiny.onnx", TinyConvNet.Build()), frames: 0);

        Assert.Contains("calibration from synthetic: --frames 0; calibration needs at least 1 frame.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyCalibrationDirectory_NamesTheDirectory()
    {
        var empty = Directory.CreateDirectory(_directory.Combine("frames")).FullName;
        File.WriteAllText(Path.Combine(empty, "readme.txt"), "no pictures here");

        var e = Quantize(Write("tiny.onnx", TinyConvNet.Build()), calibration: empty);

        Assert.Contains($"{empty}: no .jpg or .jpeg files to calibrate with", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputInAMissingDirectory_NamesTheDirectory_BeforeAnyWork()
    {
        var output = _directory.Combine("missing", "out.onnx");

        var e = Quantize(_directory.Combine("not-even-read.onnx"), output: output);

        Assert.Contains($"{output}: the output directory {_directory.Combine("missing")} does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_LeavesAnExistingOutputUntouched_AndNoTemporaryFile()
    {
        var output = _directory.Combine("out.onnx");
        File.WriteAllText(output, "previous model");

        Quantize(Write("sigmoid.onnx", TinyConvNet.Build(appendOp: "Sigmoid")), output: output);

        Assert.Equal("previous model", File.ReadAllText(output));
        Assert.Equal(["out.onnx", "sigmoid.onnx"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DiskFull_WhileWritingTheOutput_KeepsTheOldOutput_AndDeletesTheTemporaryFile()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "mounts a small tmpfs to fill: needs root");
        using var full = FullFilesystem.TryMount(_directory.Combine("full"), out var why);
        Assert.SkipWhen(full is null, $"cannot mount a tmpfs here: {why}");
        var output = Path.Combine(full.Path, "out.onnx");
        File.WriteAllText(output, "previous model");
        full.FillUp();

        var e = Quantize(Write("tiny.onnx", TinyConvNet.Build()), output: output);

        Assert.Contains($"{output}: cannot write the output model", e.Message, StringComparison.Ordinal);
        Assert.Equal("previous model", File.ReadAllText(output));
        Assert.Equal(["filler", "out.onnx"], Directory.GetFiles(full.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Success_ReplacesTheOutput_AndLeavesNoTemporaryFile()
    {
        var output = _directory.Combine("out.onnx");
        File.WriteAllText(output, "previous model");

        var result = ModelQuantizer.Quantize(Request(Write("tiny.onnx", TinyConvNet.Build()), output, frames: 2));

        Assert.Equal(1, result.FoldedBatchNorms);
        Assert.Equal(new FileInfo(output).Length, result.OutputBytes);
        Assert.Equal(["out.onnx", "tiny.onnx"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GraphOutput_StaysFloat_AndEveryQuantizeLinearFeedsANode()
    {
        var output = _directory.Combine("out.onnx");

        ModelQuantizer.Quantize(Request(Write("tiny.onnx", TinyConvNet.Build()), output, frames: 2));

        var graph = OnnxModelFile.Load(output).Graph;
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        Assert.All(graph.Node.Where(n => n.OpType == "QuantizeLinear"), q => Assert.Contains(q.Output[0], read));
        Assert.Equal("MaxPool", Assert.Single(graph.Node, n => n.Output.Contains("pool_out")).OpType);
    }

    [Fact]
    public void CalibrationDirectory_OfJpegFrames_IsUsed_AndRecordedInTheModel()
    {
        var frames = Directory.CreateDirectory(_directory.Combine("frames")).FullName;
        using (var renderer = new SceneRenderer(320, 240, 80))
        {
            for (var i = 0; i < 3; i++)
            {
                File.WriteAllBytes(Path.Combine(frames, $"frame-{i}.jpg"), renderer.RenderJpeg(new SceneState(0, i > 0, 10 * (i + 1), false, i / 3.0)));
            }
        }

        var output = _directory.Combine("out.onnx");
        var result = ModelQuantizer.Quantize(Request(Write("tiny.onnx", TinyConvNet.Build()), output, calibration: frames, frames: 10));

        Assert.Equal(3, result.CalibrationFrames);
        var metadata = OnnxModelFile.Load(output).MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal("directory frames, 3 frames", metadata["dce-quantize.calibration"]);
        Assert.Equal("tiny.onnx", metadata["dce-quantize.source"]);
    }

    [Fact]
    public void CommandLine_WritesTheModel_AndSummarisesIt()
    {
        var output = new StringWriter();
        var path = Write("tiny.onnx", TinyConvNet.Build());

        var code = QuantizeCommand.Run([path, _directory.Combine("out.onnx"), "--input", "image", "--mean", "1,2,3", "--std", "50,60,70", "--frames", "2"], output, TextWriter.Null);

        Assert.Equal(0, code);
        Assert.Contains($"wrote {_directory.Combine("out.onnx")}", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 Conv with int8 per-channel weights", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLine_BadInput_ExitsWith2_AndPrintsTheReason()
    {
        var error = new StringWriter();
        var path = Write("tiny.onnx", TinyConvNet.Build());

        var code = QuantizeCommand.Run([path, _directory.Combine("out.onnx"), "--input", "image", "--mean", "1,x,3"], TextWriter.Null, error);

        Assert.Equal(QuantizeCommand.BadInput, code);
        Assert.Contains("dce-quantize: --mean '1,x,3': 'x' is not a number", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.Combine("out.onnx")));
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _directory.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private QuantizeRequest Request(string model, string? output = null, string input = "image", int frames = 4, string calibration = QuantizeRequest.Synthetic)
    {
        var options = new ImageInputOptions { Name = input, Scale = 1f };
        return new QuantizeRequest { InputPath = model, OutputPath = output ?? _directory.Combine("out.onnx"), Input = options, Frames = frames, Calibration = calibration };
    }

    private QuantizationException Quantize(string model, string? output = null, string input = "image", int frames = 4, string calibration = QuantizeRequest.Synthetic)
    {
        var e = Assert.Throws<QuantizationException>(() => ModelQuantizer.Quantize(Request(model, output, input, frames, calibration)));
        TestContext.Current.SendDiagnosticMessage(e.Message);
        if (output is null)
        {
            Assert.False(File.Exists(_directory.Combine("out.onnx")), "an output file was written");
        }

        return e;
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>A 64 KiB tmpfs that <see cref="FillUp"/> leaves without a free byte: a real ENOSPC.</summary>
    private sealed class FullFilesystem : IDisposable
    {
        private FullFilesystem(string path) => Path = path;

        public string Path { get; }

        public static FullFilesystem? TryMount(string path, out string why)
        {
            Directory.CreateDirectory(path);
            try
            {
                var (exit, output) = Run("mount", "-t", "tmpfs", "-o", "size=64k", "dce-test-full", path);
                why = output;
                return exit == 0 ? new FullFilesystem(path) : null;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                why = $"no mount command: {e.Message}";
                return null;
            }
        }

        public void FillUp()
        {
            using var filler = File.Create(System.IO.Path.Combine(Path, "filler"), 1);
            var block = new byte[4096];
            try
            {
                while (true)
                {
                    filler.Write(block);
                }
            }
            catch (IOException)
            {
                // No space left: what the test wants.
            }
        }

        public void Dispose()
        {
            // A mount left behind would outlive the test: say so rather than leave it quietly.
            var (exit, output) = Run("umount", Path);
            Assert.True(exit == 0, $"umount {Path}: {output}");
        }

        private static (int Exit, string Output) Run(string file, params string[] arguments)
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Trim());
        }
    }
}
