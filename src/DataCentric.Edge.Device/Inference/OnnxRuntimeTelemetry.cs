using System.Runtime.InteropServices;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Keeps ONNX Runtime from reporting to its vendor. Its official Linux builds (1.29 and later) start
/// telemetry with the first ONNX Runtime environment: a persistent device id and an event database
/// under <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime</c>, and HTTPS uploads. A device beside a
/// vehicle's controller, often on a metered link, must not send anything its operator did not ask
/// for, nor write an identifier to its card. The native library reads its opt-out from the process
/// environment, which <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change
/// on Unix, so <see cref="OptOut"/> sets it through libc; it must run before the first ONNX Runtime call.
/// A value the operator set keeps (0 opts in).
/// </summary>
public static class OnnxRuntimeTelemetry
{
    /// <summary>What ONNX Runtime 1.29-1.31 reads (from its library's strings), and the name later releases read.</summary>
    public static IReadOnlyList<string> OptOutVariables { get; } = ["ORT_DISABLE_TELEMETRY", "ORT_TELEMETRY_DISABLED"];

    /// <summary>Sets each opt-out variable to 1 in the native environment, unless it is set already.</summary>
    /// <exception cref="InvalidOperationException">libc refused the variable.</exception>
    public static void OptOut()
    {
        // Windows builds report through the operating system's own tracing, governed by its settings.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var name in OptOutVariables)
        {
            if (SetEnv(name, "1", overwrite: 0) != 0)
            {
                throw new InvalidOperationException($"Cannot set {name} for ONNX Runtime (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
    }

    /// <summary>The variable as native code (ONNX Runtime) reads it; null when unset.</summary>
    public static string? NativeValue(string name) =>
        OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(GetEnv(name)) : Environment.GetEnvironmentVariable(name);

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
