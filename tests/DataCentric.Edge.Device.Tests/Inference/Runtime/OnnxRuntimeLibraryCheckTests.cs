using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.TestKit;
using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Tests.Inference.Runtime;

/// <summary>
/// A configured libonnxruntime.so is checked before ONNX Runtime's API touches it: every wrong file
/// gives an error that names it (and, for a wrong version, both versions). These checks do not
/// install the library, so they run in this process; the install is tested in a child process.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OnnxRuntimeLibraryCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void TheRealLibrary_IsAccepted_AndTellsItsVersion()
    {
        var version = OnnxRuntimeLibrary.Check(NativeLibraries.OnnxRuntime, OnnxRuntimeLibrary.ManagedApiVersion);

        Assert.Equal(OrtEnv.Instance().GetVersionString(), version);
        Assert.Equal("1.31.1", OnnxRuntimeLibrary.ManagedVersion);
        Assert.Equal(31, OnnxRuntimeLibrary.ManagedApiVersion);
    }

    [Fact]
    public void MissingFile_IsNamed()
    {
        var path = Path.Combine(_dir.Path, "libonnxruntime.so");

        var e = Assert.Throws<OnnxRuntimeLibraryException>(() => OnnxRuntimeLibrary.Check(path, OnnxRuntimeLibrary.ManagedApiVersion));

        Assert.Equal($"ONNX Runtime library '{path}' (Inference:Runtime:LibraryPath): file not found", e.Message);
    }

    [Fact]
    public void Directory_IsNamed()
    {
        var e = Assert.Throws<OnnxRuntimeLibraryException>(() => OnnxRuntimeLibrary.Check(_dir.Path, OnnxRuntimeLibrary.ManagedApiVersion));

        Assert.Contains($"'{_dir.Path}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileThatIsNotASharedLibrary_IsNamed_WithTheLoadersReason()
    {
        var path = Path.Combine(_dir.Path, "libonnxruntime.so");
        File.WriteAllText(path, "not an ELF file");

        var e = Assert.Throws<OnnxRuntimeLibraryException>(() => OnnxRuntimeLibrary.Check(path, OnnxRuntimeLibrary.ManagedApiVersion));

        Assert.StartsWith($"ONNX Runtime library '{path}' (Inference:Runtime:LibraryPath): cannot be loaded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SharedLibraryThatIsNotOnnxRuntime_IsNamed()
    {
        var path = NativeLibraries.NotOnnxRuntime;

        var e = Assert.Throws<OnnxRuntimeLibraryException>(() => OnnxRuntimeLibrary.Check(path, OnnxRuntimeLibrary.ManagedApiVersion));

        Assert.Equal($"ONNX Runtime library '{path}' (Inference:Runtime:LibraryPath): is not ONNX Runtime (it has no OrtGetApiBase); the agent's managed API is 1.31.1", e.Message);
    }

    [Fact]
    public void LibraryOlderThanTheManagedApi_IsNamed_WithBothVersions()
    {
        // The real 1.31.1 library asked for the C API of a release it predates (1.99), as a JetPack
        // build older than the agent's managed API would be.
        var path = NativeLibraries.OnnxRuntime;

        var e = Assert.Throws<OnnxRuntimeLibraryException>(() => OnnxRuntimeLibrary.Check(path, 99));

        Assert.Equal(
            $"ONNX Runtime library '{path}' (Inference:Runtime:LibraryPath): is ONNX Runtime 1.31.1, but the agent's managed API 1.31.1 needs C API version 99 (ONNX Runtime 1.99 or later)",
            e.Message);
    }

    public void Dispose() => _dir.Dispose();
}
