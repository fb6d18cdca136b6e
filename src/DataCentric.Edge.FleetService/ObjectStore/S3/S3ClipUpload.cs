using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.FleetService.ObjectStore.S3;

/// <summary>
/// An upload to S3 through one pooled part buffer: bytes fill the buffer, a full buffer goes up as
/// the next part of a multipart upload (started with the first part) once more bytes follow, and
/// the rest goes up as the last part at finish. An object no larger than one part goes up in one
/// PUT at completion. Memory: one part, whatever the object's size.
/// </summary>
internal sealed class S3ClipUpload : ClipUploadBase
{
    private readonly IAmazonS3 _client;
    private readonly S3Options _options;
    private readonly List<PartETag> _parts = [];
    private byte[]? _buffer;
    private int _filled;
    private string? _uploadId;

    public S3ClipUpload(IAmazonS3 client, S3Options options, string key, ClipObjectMetadata metadata, ILogger logger)
        : base(key, metadata, logger)
    {
        _client = client;
        _options = options;
        _buffer = ArrayPool<byte>.Shared.Rent(options.PartBytes);
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(S3ClipUpload));

    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            if (_filled == _options.PartBytes)
            {
                // More bytes follow a full buffer, so it is not the last part: send it.
                await SendPartAsync(cancellationToken).ConfigureAwait(false);
            }

            var take = Math.Min(data.Length, _options.PartBytes - _filled);
            data.Span[..take].CopyTo(Buffer.AsSpan(_filled));
            _filled += take;
            data = data[take..];
        }
    }

    protected override async Task FinishCoreAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is not null)
        {
            await SendPartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task CompleteCoreAsync(ClipDigest digest, CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            using var body = new MemoryStream(Buffer, 0, _filled, writable: false);
            var put = new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = Key,
                InputStream = body,
                AutoCloseStream = false,
                UseChunkEncoding = _options.UseChunkEncoding,
            };
            AddMetadata(put.Metadata);
            await _client.PutObjectAsync(put, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _client.CompleteMultipartUploadAsync(
            new CompleteMultipartUploadRequest { BucketName = _options.Bucket, Key = Key, UploadId = _uploadId, PartETags = _parts },
            cancellationToken).ConfigureAwait(false);
    }

    protected override async Task AbortCoreAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is { } uploadId)
        {
            await _client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = Key, UploadId = uploadId },
                cancellationToken).ConfigureAwait(false);
        }
    }

    protected override ValueTask DisposeCoreAsync()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }

    private async Task SendPartAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            var initiate = new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = Key };
            AddMetadata(initiate.Metadata);
            var started = await _client.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false);
            _uploadId = started.UploadId;
        }

        var partNumber = _parts.Count + 1;
        using var body = new MemoryStream(Buffer, 0, _filled, writable: false);
        var response = await _client.UploadPartAsync(
            new UploadPartRequest
            {
                BucketName = _options.Bucket,
                Key = Key,
                UploadId = _uploadId,
                PartNumber = partNumber,
                InputStream = body,
                PartSize = _filled,
                UseChunkEncoding = _options.UseChunkEncoding,
            },
            cancellationToken).ConfigureAwait(false);
        _parts.Add(new PartETag(partNumber, response.ETag));
        _filled = 0;
    }

    private void AddMetadata(MetadataCollection target)
    {
        foreach (var (name, value) in Metadata.ToHeaders())
        {
            target.Add(name, value);
        }
    }
}
