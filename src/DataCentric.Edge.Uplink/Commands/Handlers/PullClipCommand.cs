using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary><c>pullClip</c>: queues one clip for upload ahead of its trigger's upload policy.</summary>
internal sealed class PullClipCommand(IUploadOutbox catalog, UploadRequests uploads) : DeviceCommand<PullResult>
{
    public override string Name => CommandNames.PullClip;

    /// <summary>Queues a stored clip (also what <c>pullWindow</c> does for each clip it covers).</summary>
    /// <exception cref="CommandRefusedException">No such clip, or its file is gone.</exception>
    internal static PullResult Pull(IUploadOutbox catalog, UploadRequests uploads, string clipId)
    {
        var clip = catalog.FindClip(clipId) ?? throw new CommandRefusedException($"no clip '{clipId}' on this device");
        if (clip.UploadState == UploadState.FileMissing || clip.FileState != ClipFileState.Stored)
        {
            throw new CommandRefusedException($"clip '{clipId}' is catalogued but its file is gone");
        }

        // Sent whole: the asker's receiver subscribed just now and holds none of an earlier, partial try.
        if (clip.UploadState is UploadState.Acknowledged or UploadState.Sent || clip.ChunksSent > 0)
        {
            catalog.UpdateUpload(clipId, UploadState.Pending, 0);
        }

        uploads.Request(clipId);
        return new PullResult(clipId, clip.UploadState, true, $"{clip.SizeBytes} bytes queued ahead of the upload policy");
    }

    protected override Task<PullResult> ResultAsync(CommandRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Pull(catalog, uploads, Required(request.ClipId, "clipId")));
}
