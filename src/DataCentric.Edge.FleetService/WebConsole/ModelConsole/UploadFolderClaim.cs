namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>
/// This process's own folder for uploaded model files, inside <c>ConsoleModels:UploadDirectory</c>. That folder may be
/// shared by several dce-fleet processes on one host (receivers scale out, and the default is one folder under the
/// system temp folder), and a process that cleared the whole folder at start deleted another one's pending uploads.
/// So each process writes into a subfolder that it holds a lock file in for its lifetime, and at start removes only
/// the subfolders whose lock nobody holds: their process is gone, and its proposals (kept in memory) with it.
/// </summary>
internal sealed class UploadFolderClaim : IDisposable
{
    private const string LockFileName = "owner.lock";

    /// <summary>A subfolder being claimed: its lock is not taken yet, so no other process may judge it abandoned.</summary>
    private const string ClaimingPrefix = ".claiming-";

    /// <summary>A claim takes microseconds; one left this long was abandoned by a process that died while claiming.</summary>
    private static readonly TimeSpan ClaimingAbandonedAfter = TimeSpan.FromMinutes(1);

    private readonly FileStream _lock;
    private readonly string _fileSuffix;

    /// <param name="root">The configured upload folder, created when missing.</param>
    /// <param name="fileSuffix">How this process names its files: only those are removed from an abandoned subfolder.</param>
    public UploadFolderClaim(string root, string fileSuffix)
    {
        Directory.CreateDirectory(root);
        _fileSuffix = fileSuffix;
        foreach (var subfolder in Directory.EnumerateDirectories(root))
        {
            if (!System.IO.Path.GetFileName(subfolder).StartsWith(ClaimingPrefix, StringComparison.Ordinal))
            {
                RemoveIfAbandoned(subfolder, diedWhileClaiming: false);
            }
            else if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(subfolder) > ClaimingAbandonedAfter)
            {
                RemoveIfAbandoned(subfolder, diedWhileClaiming: true);
            }
        }

        // Lock first, then make the subfolder visible under its final name in one rename.
        var name = $"pid{Environment.ProcessId}-{Guid.NewGuid():N}"[..24];
        var claiming = System.IO.Path.Combine(root, ClaimingPrefix + name);
        Directory.CreateDirectory(claiming);
        var lockStream = new FileStream(System.IO.Path.Combine(claiming, LockFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            Path = System.IO.Path.Combine(root, name);
            Directory.Move(claiming, Path);
        }
        catch
        {
            lockStream.Dispose();
            throw;
        }

        _lock = lockStream;
    }

    /// <summary>The subfolder this process owns.</summary>
    public string Path { get; }

    /// <summary>Removes this process's files and the subfolder itself (at a clean shutdown).</summary>
    public void Dispose()
    {
        RemoveFiles(Path);
        _lock.Dispose();
        DeleteLockAndFolder(Path);
    }

    /// <param name="diedWhileClaiming">A claiming folder long abandoned: its process may have died before making its lock file.</param>
    private void RemoveIfAbandoned(string subfolder, bool diedWhileClaiming)
    {
        FileStream? held;
        try
        {
            held = new FileStream(System.IO.Path.Combine(subfolder, LockFileName), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (FileNotFoundException) when (diedWhileClaiming)
        {
            held = null;
        }
        catch (IOException)
        {
            // Locked: its process is alive. No lock file, or gone meanwhile: not ours to judge (or already removed).
            return;
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's process: not ours to remove.
            return;
        }

        using (held)
        {
            RemoveFiles(subfolder);
        }

        DeleteLockAndFolder(subfolder);
    }

    private void RemoveFiles(string subfolder)
    {
        foreach (var file in Directory.EnumerateFiles(subfolder, "*" + _fileSuffix))
        {
            File.Delete(file);
        }
    }

    private static void DeleteLockAndFolder(string subfolder)
    {
        try
        {
            File.Delete(System.IO.Path.Combine(subfolder, LockFileName));
            Directory.Delete(subfolder);
        }
        catch (IOException)
        {
            // Someone else's file in it, or another starting process removed it first: leave what is left.
        }
    }
}
