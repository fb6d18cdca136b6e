using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Points the managed ONNX Runtime API at a board's own <c>libonnxruntime.so</c> (a JetPack build
/// with CUDA and TensorRT; no NuGet package has one for aarch64). The file is checked before the
/// API touches it: that it loads, that it is ONNX Runtime, and that it serves the C API version the
/// managed assembly asks for. A resolver can be set once per process and only helps before the
/// first ONNX Runtime call, so <see cref="Install"/> runs before any model loads.
/// </summary>
public static unsafe class OnnxRuntimeLibrary
{
    /// <summary>The library name the managed API imports (its DllImport name on Linux).</summary>
    private const string ImportName = "onnxruntime";

    private static readonly Lock Gate = new();
    private static string? _installedPath;
    private static string? _installedVersion;
    private static IntPtr _handle;

    /// <summary>The managed API's release (e.g. 1.31.1), from its assembly.</summary>
    public static string ManagedVersion { get; } = ReadManagedVersion();

    /// <summary>The C API version the managed API asks the native library for: ONNX Runtime 1.N serves versions up to N.</summary>
    public static int ManagedApiVersion { get; } = Version.Parse(ManagedVersion).Minor;

    /// <summary>The configured library in use, or null when the one published with the agent is.</summary>
    public static string? InstalledPath
    {
        get
        {
            lock (Gate)
            {
                return _installedPath;
            }
        }
    }

    /// <summary>Checks <paramref name="path"/> without making it the process's ONNX Runtime.</summary>
    /// <returns>The library's ONNX Runtime version.</returns>
    /// <exception cref="OnnxRuntimeLibraryException">Missing, not loadable, not ONNX Runtime, or without C API <paramref name="apiVersion"/>; the message names the file and both versions.</exception>
    public static string Check(string path, int apiVersion)
    {
        var version = Open(Path.GetFullPath(path), apiVersion, out var handle);
        NativeLibrary.Free(handle);
        return version;
    }

    /// <summary>
    /// Makes <paramref name="path"/> the library behind the managed API for this process, after
    /// <see cref="Check"/>ing it against <see cref="ManagedApiVersion"/>. Installing the same file
    /// again is a no-op; another file is refused.
    /// </summary>
    /// <returns>The library's ONNX Runtime version.</returns>
    /// <exception cref="OnnxRuntimeLibraryException">The file is not usable, or another library is already installed.</exception>
    public static string Install(string path)
    {
        var fullPath = Path.GetFullPath(path);
        lock (Gate)
        {
            if (_installedPath is not null)
            {
                return _installedPath == fullPath
                    ? _installedVersion!
                    : throw new OnnxRuntimeLibraryException(
                        $"ONNX Runtime library '{fullPath}' cannot be loaded: this process already runs ONNX Runtime from '{_installedPath}' (one library per process)");
            }

            var version = Open(fullPath, ManagedApiVersion, out var handle);
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, Resolve);
            }
            catch (InvalidOperationException e)
            {
                NativeLibrary.Free(handle);
                throw new OnnxRuntimeLibraryException($"ONNX Runtime library '{fullPath}' cannot be loaded: another native-library resolver is already set for ONNX Runtime's managed API", e);
            }

            _handle = handle;
            _installedPath = fullPath;
            _installedVersion = version;
            return version;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == ImportName ? _handle : IntPtr.Zero;

    private static string Open(string path, int apiVersion, out IntPtr handle)
    {
        var what = $"ONNX Runtime library '{path}' (Inference:Runtime:LibraryPath)";
        if (Directory.Exists(path))
        {
            throw new OnnxRuntimeLibraryException($"{what}: is a directory; name the libonnxruntime.so file");
        }

        if (!File.Exists(path))
        {
            throw new OnnxRuntimeLibraryException($"{what}: file not found");
        }

        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new OnnxRuntimeLibraryException($"{what}: cannot be loaded (not a shared library for this machine, or one of its dependencies is missing): {e.Message}", e);
        }
        catch (BadImageFormatException e)
        {
            throw new OnnxRuntimeLibraryException($"{what}: cannot be loaded (not a shared library for this machine): {e.Message}", e);
        }

        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBase))
        {
            NativeLibrary.Free(handle);
            throw new OnnxRuntimeLibraryException($"{what}: is not ONNX Runtime (it has no OrtGetApiBase); the agent's managed API is {ManagedVersion}");
        }

        // OrtApiBase is { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }.
        var apiBase = (IntPtr*)((delegate* unmanaged<IntPtr>)getApiBase)();
        var getApi = (delegate* unmanaged<uint, IntPtr>)apiBase[0];
        var getVersionString = (delegate* unmanaged<IntPtr>)apiBase[1];
        var version = Marshal.PtrToStringUTF8(getVersionString()) ?? "unknown";
        if (getApi((uint)apiVersion) == IntPtr.Zero)
        {
            NativeLibrary.Free(handle);
            throw new OnnxRuntimeLibraryException(
                $"{what}: is ONNX Runtime {version}, but the agent's managed API {ManagedVersion} needs C API version {apiVersion} (ONNX Runtime 1.{apiVersion} or later)");
        }

        return version;
    }

    private static string ReadManagedVersion()
    {
        var assembly = typeof(OrtEnv).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var release = informational?.Split('+', '-')[0];
        return release is not null && Version.TryParse(release, out _) ? release : assembly.GetName().Version!.ToString(3);
    }
}
