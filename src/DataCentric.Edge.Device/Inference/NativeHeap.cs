using System.Runtime.InteropServices;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Gives the C heap's free pages back to the system. Loading a model in ONNX Runtime parses the
/// whole protobuf and runs the graph optimizers, which allocate several copies of the weights with
/// malloc; they are freed once the session is ready, but glibc keeps freed memory inside its heap
/// (it only returns the top of the heap), so it stays resident. With ResNet18 that was 160 MiB of
/// the agent's RSS until <c>malloc_trim</c> released it (tools/bench/Board/README.md).
/// </summary>
internal static class NativeHeap
{
    /// <summary>Returns free C-heap pages to the system; false where there is no glibc (nothing to do or not possible).</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // musl and other C libraries without malloc_trim.
            return false;
        }
    }

    // glibc: int malloc_trim(size_t pad); returns 1 when memory was released.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
