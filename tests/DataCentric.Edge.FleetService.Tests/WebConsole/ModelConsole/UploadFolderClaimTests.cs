using DataCentric.Edge.FleetService.WebConsole.ModelConsole;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>
/// Several dce-fleet processes may share one upload folder: each keeps its files in a subfolder it holds a lock on,
/// and at start removes only subfolders whose lock nobody holds (what a killed process leaves), on a real folder.
/// </summary>
[Trait("Category", "Unit")]
public sealed class UploadFolderClaimTests : IDisposable
{
    private const string Suffix = ModelProposals.FileSuffix;
    private readonly TempDirectory _root = new("dce-upload-claims");

    public void Dispose() => _root.Dispose();

    private string Claiming(string name, bool lockFile, DateTime lastWriteUtc)
    {
        var folder = Directory.CreateDirectory(_root.Combine(".claiming-" + name)).FullName;
        if (lockFile)
        {
            File.WriteAllText(Path.Combine(folder, "owner.lock"), string.Empty);
        }

        Directory.SetLastWriteTimeUtc(folder, lastWriteUtc);
        return folder;
    }

    [Fact]
    public void AProcessStarting_LeavesALiveProcesssPendingUploadsAlone()
    {
        using var first = new UploadFolderClaim(_root.Path, Suffix);
        var pending = Path.Combine(first.Path, "p1" + Suffix);
        File.WriteAllBytes(pending, [1, 2, 3]);

        using var second = new UploadFolderClaim(_root.Path, Suffix);

        Assert.NotEqual(first.Path, second.Path);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(pending));
    }

    [Fact]
    public void AtStart_WhatAKilledProcessLeft_IsRemoved_ButNoOtherFile()
    {
        // A killed process leaves its subfolder, its unlocked lock file and its uploads.
        var killed = Directory.CreateDirectory(_root.Combine("pid4242-0123456789abcdef")).FullName;
        File.WriteAllText(Path.Combine(killed, "owner.lock"), string.Empty);
        File.WriteAllBytes(Path.Combine(killed, "p1" + Suffix), [1]);
        var foreign = Directory.CreateDirectory(_root.Combine("not-a-claim")).FullName;
        File.WriteAllBytes(Path.Combine(foreign, "x" + Suffix), [2]);
        File.WriteAllText(_root.Combine("notes.txt"), "kept");

        using var claim = new UploadFolderClaim(_root.Path, Suffix);

        Assert.False(Directory.Exists(killed));
        Assert.True(File.Exists(Path.Combine(foreign, "x" + Suffix)));
        Assert.True(File.Exists(_root.Combine("notes.txt")));
        Assert.Equal(new[] { claim.Path, foreign }.Order(StringComparer.Ordinal), Directory.GetDirectories(_root.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AtStart_AClaimAbandonedMidwayForOverAMinute_IsRemoved_ButARecentOrLockedOneIsNot()
    {
        var anHourAgo = DateTime.UtcNow.AddHours(-1);
        var withoutLock = Claiming("pid4243-0123456789abcd", lockFile: false, anHourAgo);
        var withLock = Claiming("pid4244-0123456789abcd", lockFile: true, anHourAgo);
        var recent = Claiming("pid4245-0123456789abcd", lockFile: false, DateTime.UtcNow);
        var stuck = Claiming("pid4246-0123456789abcd", lockFile: true, anHourAgo);
        using (new FileStream(Path.Combine(stuck, "owner.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            // A process that holds its lock is alive, however long its claim has taken.
            Directory.SetLastWriteTimeUtc(stuck, anHourAgo);
            using var claim = new UploadFolderClaim(_root.Path, Suffix);

            Assert.False(Directory.Exists(withoutLock));
            Assert.False(Directory.Exists(withLock));
            Assert.True(Directory.Exists(recent));
            Assert.True(Directory.Exists(stuck));
        }
    }

    [Fact]
    public void Dispose_RemovesItsUploadsAndItsSubfolder_AndTheNextStartFindsNothingToRemove()
    {
        var claim = new UploadFolderClaim(_root.Path, Suffix);
        File.WriteAllBytes(Path.Combine(claim.Path, "p1" + Suffix), [1]);

        claim.Dispose();

        Assert.False(Directory.Exists(claim.Path));
        Assert.Empty(Directory.GetFileSystemEntries(_root.Path));
    }
}
