namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// Writes a folder all or nothing: into a hidden temporary folder beside it, renamed to its name at the
/// end, so a refused input or a crash leaves no half-written dataset behind.
/// </summary>
internal static class AtomicFolder
{
    public static async Task<T> WriteAsync<T>(DirectoryInfo output, Func<string, Task<T>> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(write);
        if (output.Exists && output.EnumerateFileSystemInfos().Any())
        {
            throw new PrelabelInputException($"{output.FullName} already exists and is not empty; choose a new --out folder.");
        }

        var parent = Directory.CreateDirectory(Path.GetDirectoryName(output.FullName.TrimEnd(Path.DirectorySeparatorChar))!).FullName;
        var temp = Directory.CreateDirectory(Path.Combine(parent, $".{output.Name}.tmp-{Guid.NewGuid():N}")).FullName;
        try
        {
            var result = await write(temp).ConfigureAwait(false);
            if (output.Exists)
            {
                output.Delete();
            }

            Directory.Move(temp, output.FullName);
            return result;
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }
    }
}
