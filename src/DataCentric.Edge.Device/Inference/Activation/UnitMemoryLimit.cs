using System.Globalization;

namespace DataCentric.Edge.Device.Inference.Activation;

/// <summary>
/// The memory this agent may use: the lower of its control group's limit (systemd's
/// <c>MemoryMax=</c>: cgroup v2 <c>memory.max</c>, or v1 <c>memory.limit_in_bytes</c>) and the
/// configured one. <see cref="Source"/> says where the figure came from, for refusal messages.
/// </summary>
public sealed record UnitMemoryLimit(long Bytes, string Source)
{
    // cgroup v1 reports "no limit" as a page-rounded long.MaxValue.
    private const long Unlimited = 1L << 60;

    /// <summary>The effective limit; null when neither the cgroup nor configuration sets one.</summary>
    /// <param name="procRoot">Where <c>self/cgroup</c> is read (tests point it elsewhere).</param>
    /// <param name="cgroupRoot">Where the cgroup file systems are mounted.</param>
    public static UnitMemoryLimit? Find(long? configuredBytes, string procRoot = "/proc", string cgroupRoot = "/sys/fs/cgroup")
    {
        var cgroup = FromCgroup(procRoot, cgroupRoot);
        var configured = configuredBytes is { } bytes ? new UnitMemoryLimit(bytes, "ModelReleases:MemoryLimitBytes") : null;
        return (cgroup, configured) switch
        {
            (null, _) => configured,
            (_, null) => cgroup,
            _ => cgroup.Bytes <= configured.Bytes ? cgroup : configured,
        };
    }

    public override string ToString() => $"{Mib(Bytes)} limit ({Source})";

    /// <summary>Bytes in MiB with one decimal, as refusal messages show them.</summary>
    public static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB");

    private static UnitMemoryLimit? FromCgroup(string procRoot, string cgroupRoot)
    {
        var membership = Path.Combine(procRoot, "self", "cgroup");
        if (!File.Exists(membership))
        {
            return null;
        }

        // Lines are "id:controllers:path": "0::/path" is the v2 group, "n:memory:/path" the v1 memory group.
        foreach (var line in File.ReadLines(membership))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            var relative = parts[2].TrimStart('/');
            var candidate = parts[1] switch
            {
                "" => Path.Combine(cgroupRoot, relative, "memory.max"),
                var controllers when controllers.Split(',').Contains("memory") => Path.Combine(cgroupRoot, "memory", relative, "memory.limit_in_bytes"),
                _ => null,
            };
            if (candidate is not null && Read(candidate) is { } limit)
            {
                return limit;
            }
        }

        return null;
    }

    private static UnitMemoryLimit? Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not there (another cgroup layout) or not readable: no limit from here.
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes < Unlimited
            ? new UnitMemoryLimit(bytes, $"cgroup {path}")
            : null;
    }
}
