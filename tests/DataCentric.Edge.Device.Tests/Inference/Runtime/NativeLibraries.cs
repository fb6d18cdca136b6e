using System.Runtime.InteropServices;

namespace DataCentric.Edge.Device.Tests.Inference.Runtime;

/// <summary>Native libraries the test output carries: the real ONNX Runtime and a real shared library that is not ONNX Runtime.</summary>
internal static class NativeLibraries
{
    private static string Native(string file)
    {
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var path = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", file);
        Assert.True(File.Exists(path), $"the test output has no {path}");
        return path;
    }

    public static string OnnxRuntime => Native("libonnxruntime.so");

    /// <summary>SkiaSharp's codec library: an ELF shared object for this machine, without ONNX Runtime's entry point.</summary>
    public static string NotOnnxRuntime => Native("libSkiaSharp.so");
}
