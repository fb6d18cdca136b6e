namespace DataCentric.Edge.Buffer;

/// <summary>
/// An exclusive lock file in the data directory: LiteDB's Direct mode does not stop a second
/// process from opening the catalog (STACK-NOTES), so a second agent must fail fast here.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _lock;

    private DataDirectoryLock(FileStream stream) => _lock = stream;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "agent.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            stream.Flush();
            return new DataDirectoryLock(stream);
        }
        catch (IOException e)
        {
            throw new IOException($"Data directory {dataDirectory} is in use by another agent (lock file {path}).", e);
        }
    }

    public void Dispose() => _lock.Dispose();
}
