namespace DataCentric.Edge.TestKit.Broker;

/// <summary>Finds files shipped in the repository (e.g. the broker ACL) so tests exercise them, not copies.</summary>
public static class RepositoryFiles
{
    public static string Path(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "DataCentric.Edge.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new DirectoryNotFoundException($"No DataCentric.Edge.sln above {AppContext.BaseDirectory}");
        }

        var path = System.IO.Path.Combine([dir.FullName, .. parts]);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Repository file {string.Join('/', parts)} not found", path);
    }
}
