using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Inference;

/// <summary>The ONNX Runtime the models run on, for the log and the device status.</summary>
/// <param name="LibraryPath">The configured library (Inference:Runtime:LibraryPath), or null for the one published with the agent.</param>
/// <param name="Providers">The execution providers this library really offers, CPU included.</param>
public sealed record OnnxRuntimeInfo(string Version, string ManagedVersion, string? LibraryPath, IReadOnlyList<string> Providers)
{
    /// <summary>Installs the configured library (if any) and asks ONNX Runtime what it is and offers.</summary>
    /// <exception cref="OnnxRuntimeLibraryException">The configured library is not usable; the message names it and both versions.</exception>
    public static OnnxRuntimeInfo Start(string? libraryPath)
    {
        string? installed = null;
        if (!string.IsNullOrWhiteSpace(libraryPath))
        {
            OnnxRuntimeLibrary.Install(libraryPath);
            installed = OnnxRuntimeLibrary.InstalledPath;
        }

        var env = OrtEnv.Instance();
        return new OnnxRuntimeInfo(env.GetVersionString(), OnnxRuntimeLibrary.ManagedVersion, installed, env.GetAvailableProviders());
    }
}
