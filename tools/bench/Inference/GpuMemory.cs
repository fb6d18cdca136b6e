using System.Diagnostics;
using System.Globalization;

namespace DataCentric.Edge.Bench.Inference;

/// <summary>GPU memory as the NVIDIA driver reports it (nvidia-smi); null where it cannot be read.</summary>
internal static class GpuMemory
{
    /// <summary>Memory in use on GPU 0, all processes.</summary>
    public static double? DeviceUsedMiB() =>
        Query("--query-gpu=memory.used --format=csv,noheader,nounits -i 0").Select(Parse).FirstOrDefault(v => v is not null);

    /// <summary>This process's own, where the driver can see its pid (not always inside a container).</summary>
    public static double? ProcessMiB()
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return Query("--query-compute-apps=pid,used_memory --format=csv,noheader,nounits")
            .Select(l => l.Split(',', StringSplitOptions.TrimEntries))
            .Where(f => f.Length == 2 && f[0] == self)
            .Select(f => Parse(f[1]))
            .FirstOrDefault(v => v is not null);
    }

    private static double? Parse(string text) =>
        double.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string[] Query(string arguments)
    {
        try
        {
            using var smi = Process.Start(new ProcessStartInfo("nvidia-smi", arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (smi is null)
            {
                return [];
            }

            var output = smi.StandardOutput.ReadToEnd();
            smi.WaitForExit();
            return smi.ExitCode == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return [];
        }
    }
}
