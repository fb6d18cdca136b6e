using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;

/// <summary>
/// Clip objects in a local folder, for the laptop demo and single-machine installs:
/// <c>{root}/{key}</c> holds the bytes, <c>{root}/.meta/{key}.json</c> the metadata, and
/// <c>{root}/.uploads/</c> uploads in progress. Keys never start a segment with '.', so neither
/// folder can collide with an object.
/// </summary>
/// <remarks>
/// Every write goes to a temp file, is fsynced and renamed into place, the metadata first: an
/// object that is there is whole and has its metadata. Uploads a killed process left in
/// <c>.uploads/</c> are removed at a later start once a day old (another process may share the folder).
/// </remarks>
public sealed class DirectoryClipObjectStore : IClipObjectStore
{
    private const string UploadsFolder = ".uploads";
    private const string MetadataFolder = ".meta";
    private static readonly TimeSpan AbandonedUploadAge = TimeSpan.FromDays(1);
    private readonly ILogger<DirectoryClipObjectStore> _logger;
    private readonly string _uploads;

    public DirectoryClipObjectStore(string root, TimeProvider timeProvider, ILogger<DirectoryClipObjectStore> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        Root = Directory.CreateDirectory(root).FullName;
        _uploads = Directory.CreateDirectory(Path.Combine(Root, UploadsFolder)).FullName;
        _logger = logger;
        RemoveAbandonedUploads(timeProvider.GetUtcNow() - AbandonedUploadAge);
    }

    public string Root { get; }

    public Task<IClipUpload> BeginUploadAsync(string key, ClipObjectMetadata metadata, CancellationToken cancellationToken)
    {
        return Task.FromResult<IClipUpload>(new DirectoryClipUpload(this, key, metadata, _logger));
    }

    public Task<ClipDigest> PutAsync(string key, Stream content, ClipObjectMetadata metadata, CancellationToken cancellationToken) =>
        this.PutThroughUploadAsync(key, content, metadata, cancellationToken);

    public async Task<ClipObjectContent?> OpenReadAsync(string key, ClipByteRange? range, CancellationToken cancellationToken)
    {
        var path = ObjectPath(key);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            var info = new ClipObjectInfo(key, file.Length, File.GetLastWriteTimeUtc(path), await ReadMetadataAsync(key, cancellationToken).ConfigureAwait(false));
            var (offset, length) = range is { } r ? r.Resolve(key, file.Length) : (0, file.Length);
            file.Seek(offset, SeekOrigin.Begin);
            return new ClipObjectContent(new BoundedReadStream(file, length), offset, length, info);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<ClipObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(ObjectPath(key));
        if (!file.Exists)
        {
            return null;
        }

        var metadata = await ReadMetadataAsync(key, cancellationToken).ConfigureAwait(false);
        return new ClipObjectInfo(key, file.Length, file.LastWriteTimeUtc, metadata);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        DeleteIfThere(ObjectPath(key));
        DeleteIfThere(MetadataPath(key));
        return Task.CompletedTask;
    }

    /// <summary>A local folder has no URL of its own: the HTTP API streams the bytes.</summary>
    public Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken)
    {
        ClipObjectKeys.Validate(key);
        return Task.FromResult<Uri?>(null);
    }

    public override string ToString() => $"directory {Root}";

    internal string NewUploadPath() => Path.Combine(_uploads, $"{Guid.NewGuid():N}.tmp");

    /// <summary>Moves a finished, fsynced upload to its key, its metadata first.</summary>
    internal async Task PublishAsync(string uploadPath, string key, ClipObjectMetadata metadata, CancellationToken cancellationToken)
    {
        var metadataTemp = NewUploadPath();
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>(metadata.ToHeaders()), ObjectStoreJsonContext.Default.DictionaryStringString);
        var stream = new FileStream(metadataTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(json, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        var metadataPath = MetadataPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(metadataPath)!);
        File.Move(metadataTemp, metadataPath, overwrite: true);
        var objectPath = ObjectPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(objectPath)!);
        File.Move(uploadPath, objectPath, overwrite: true);
    }

    private static void DeleteIfThere(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever stored under that day or device.
        }
    }

    private void RemoveAbandonedUploads(DateTimeOffset olderThan)
    {
        foreach (var file in new DirectoryInfo(_uploads).EnumerateFiles("*.tmp"))
        {
            if (file.LastWriteTimeUtc < olderThan.UtcDateTime)
            {
                file.Delete();
            }
        }
    }

    private async Task<ClipObjectMetadata> ReadMetadataAsync(string key, CancellationToken cancellationToken)
    {
        Dictionary<string, string>? headers;
        try
        {
            var json = await File.ReadAllBytesAsync(MetadataPath(key), cancellationToken).ConfigureAwait(false);
            headers = JsonSerializer.Deserialize(json, ObjectStoreJsonContext.Default.DictionaryStringString);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            headers = null; // Written by hand into the folder: bytes without metadata.
        }

        headers = headers is null ? [] : new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        return ClipObjectMetadata.FromHeaders(name => headers.GetValueOrDefault(name));
    }

    private string ObjectPath(string key)
    {
        ClipObjectKeys.Validate(key);
        return Path.Combine(Root, key);
    }

    private string MetadataPath(string key) => Path.Combine(Root, MetadataFolder, key + ".json");
}
