using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;

namespace DataCentric.Edge.FleetService.Receiving;

/// <summary>
/// Keeps a copy of an MCAP clip's bytes as the assembler streams them to the object store (a temporary
/// file, deleted on dispose, so a large clip costs no memory while it streams), then reads its labels.
/// Clips of other formats are not copied and have no labels.
/// </summary>
internal sealed class ClipLabelCollector : IAsyncDisposable
{
    private readonly FileStream? _copy;

    public ClipLabelCollector(ClipManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.FileName.EndsWith(".mcap", StringComparison.OrdinalIgnoreCase))
        {
            _copy = new FileStream(
                Path.Combine(Path.GetTempPath(), $"dce-fleet-labels-{Guid.NewGuid():N}.mcap"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
        _copy is null ? ValueTask.CompletedTask : _copy.WriteAsync(chunk, cancellationToken);

    /// <summary>The labels of the bytes written so far.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a clip this service can read (the message says where).</exception>
    public IReadOnlyList<string> Labels()
    {
        if (_copy is null)
        {
            return [];
        }

        _copy.Position = 0;
        return ClipLabelReader.From(new McapClipReader().Read(_copy));
    }

    public ValueTask DisposeAsync() => _copy?.DisposeAsync() ?? ValueTask.CompletedTask;
}
