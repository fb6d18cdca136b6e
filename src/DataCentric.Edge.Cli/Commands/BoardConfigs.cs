using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// The boards of firmware-config: each folder that holds one <c>appsettings.*.json</c> is a board
/// (install.sh installs that file as the device's agent.json), and <c>demo</c> is the agent's demo
/// configuration. firmware-config is the nearest one above the current directory, else above edgectl.
/// </summary>
internal static class BoardConfigs
{
    public const string Demo = "demo";
    private const string FolderName = "firmware-config";

    /// <summary>The board's configuration file (null for the demo, which runs on the agent's defaults).</summary>
    /// <exception cref="UsageException">No firmware-config folder, or no such board (the known ones are listed).</exception>
    public static (string? File, bool IsDemo) Resolve(string board)
    {
        ArgumentNullException.ThrowIfNull(board);
        if (board == Demo)
        {
            return (null, true);
        }

        var folder = FindFolder() ?? throw new UsageException(
            $"--board {board}: no {FolderName} folder above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}; run edgectl in a checkout or pass --config <agent.json>");
        var boards = Known(folder);
        if (boards.TryGetValue(board, out var file))
        {
            return (file, false);
        }

        var names = boards.Keys.Append(Demo).Order(StringComparer.Ordinal).ToList();
        var suggestion = NameSuggester.Suggest(board, names);
        throw new UsageException(
            $"--board '{board}' is not a board of {folder}; known boards: {string.Join(", ", names)}{(suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?")}");
    }

    /// <summary>Board name to its configuration file, for every board folder under <paramref name="folder"/>.</summary>
    public static Dictionary<string, string> Known(string folder)
    {
        var boards = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories(folder))
        {
            var files = Directory.GetFiles(directory, "appsettings.*.json");
            if (files.Length == 1)
            {
                boards[Path.GetFileName(directory)] = files[0];
            }
        }

        return boards;
    }

    public static string? FindFolder()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, FolderName);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
