using System.Globalization;

namespace DataCentric.Edge.Agent.Memory;

/// <summary>Reads the file-backed mappings out of /proc/PID/smaps text.</summary>
internal static class SmapsReader
{
    public static List<MappedFileRegion> FileRegions(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var regions = new List<MappedFileRegion>();
        MappedFileRegion? current = null;
        foreach (var line in lines)
        {
            if (TryHeader(line, out var header))
            {
                AddIfFile(regions, current);
                current = header;
            }
            else if (current is { } region)
            {
                if (TryKb(line, "Rss:", out var rss))
                {
                    current = region with { RssKb = rss };
                }
                else if (TryKb(line, "Anonymous:", out var anonymous))
                {
                    current = region with { AnonymousKb = anonymous };
                }
                else if (TryKb(line, "Swap:", out var swap))
                {
                    current = region with { SwapKb = swap };
                }
                else if (line.StartsWith("VmFlags:", StringComparison.Ordinal))
                {
                    current = region with { Flags = line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal) };
                }
            }
        }

        AddIfFile(regions, current);
        return regions;
    }

    private static void AddIfFile(List<MappedFileRegion> regions, MappedFileRegion? region)
    {
        if (region is { } r && r.Path.StartsWith('/'))
        {
            regions.Add(r);
        }
    }

    // "7f12a0000000-7f12a0200000 r-xp 00000000 08:01 1234   /opt/dce-agent/libonnxruntime.so"
    private static bool TryHeader(string line, out MappedFileRegion region)
    {
        region = default;
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        var dash = fields.Length < 5 ? -1 : fields[0].IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
        {
            return false;
        }

        region = new MappedFileRegion(start, end, fields[1], fields.Length == 6 ? fields[5].Trim() : string.Empty, 0, 0, 0, null);
        return true;
    }

    private static bool TryKb(string line, string key, out long kb)
    {
        kb = 0;
        return line.StartsWith(key, StringComparison.Ordinal)
            && long.TryParse(line.AsSpan(key.Length).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out kb);
    }
}
