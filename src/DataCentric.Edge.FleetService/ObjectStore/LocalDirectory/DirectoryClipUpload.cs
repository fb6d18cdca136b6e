using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;

/// <summary>
/// An upload into the local folder: bytes go to a temp file under <c>.uploads/</c> as they come,
/// are fsynced at finish, and the file is renamed to its key at completion (after its metadata).
/// </summary>
internal sealed class DirectoryClipUpload : ClipUploadBase
{
    private readonly DirectoryClipObjectStore _store;
    private readonly string _tempPath;
    private FileStream? _file;

    public DirectoryClipUpload(DirectoryClipObjectStore store, string key, ClipObjectMetadata metadata, ILogger logger)
        : base(key, metadata, logger)
    {
        _store = store;
        _tempPath = store.NewUploadPath();
        _file = new FileStream(_tempPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
        });
    }

    private FileStream File => _file ?? throw new ObjectDisposedException(nameof(DirectoryClipUpload));

    protected override ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        File.WriteAsync(data, cancellationToken);

    protected override Task FinishCoreAsync(CancellationToken cancellationToken)
    {
        File.Flush(flushToDisk: true);
        return Task.CompletedTask;
    }

    protected override async Task CompleteCoreAsync(ClipDigest digest, CancellationToken cancellationToken)
    {
        await CloseAsync().ConfigureAwait(false);
        await _store.PublishAsync(_tempPath, Key, Metadata, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task AbortCoreAsync(CancellationToken cancellationToken)
    {
        await CloseAsync().ConfigureAwait(false);
        System.IO.File.Delete(_tempPath);
    }

    protected override ValueTask DisposeCoreAsync() => CloseAsync();

    private async ValueTask CloseAsync()
    {
        if (_file is { } file)
        {
            _file = null;
            await file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
