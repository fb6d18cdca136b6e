namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>Clip files and folders on the command line → the clip files, each once, in a stable order.</summary>
internal static class ClipInputs
{
    public static List<FileInfo> Resolve(IReadOnlyList<string> inputs)
    {
        var files = new List<FileInfo>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            IEnumerable<string> found;
            if (Directory.Exists(input))
            {
                found = Directory.EnumerateFiles(input, "*.mcap", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
                if (!found.Any())
                {
                    throw new PrelabelInputException($"{Path.GetFullPath(input)}: the folder holds no .mcap clip files.");
                }
            }
            else if (File.Exists(input))
            {
                found = [input];
            }
            else
            {
                throw new PrelabelInputException($"{Path.GetFullPath(input)}: no such clip file or folder.");
            }

            foreach (var path in found)
            {
                var full = Path.GetFullPath(path);
                if (seen.Add(full))
                {
                    files.Add(new FileInfo(full));
                }
            }
        }

        return files;
    }
}
