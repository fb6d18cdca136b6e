using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>
/// What every store's upload shares: the SHA-256 computed as bytes go by, the order of the steps
/// (write, finish, complete or abort), the check of a declared SHA-256, and an abort on dispose.
/// A store supplies the four steps that move bytes.
/// </summary>
public abstract class ClipUploadBase : IClipUpload
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ILogger _logger;
    private ClipDigest? _digest;
    private State _state;

    protected ClipUploadBase(string key, ClipObjectMetadata metadata, ILogger logger)
    {
        ClipObjectKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(logger);
        _ = metadata.ToHeaders(); // Metadata S3 would refuse is refused in every store, before any byte is written.
        Key = key;
        Metadata = metadata;
        _logger = logger;
    }

    private enum State
    {
        Writing,
        Finished,
        Completed,
        Aborted,
    }

    public string Key { get; }

    public long Length { get; private set; }

    protected ClipObjectMetadata Metadata { get; }

    private bool IsOpen => _state is State.Writing or State.Finished;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Require(State.Writing, "write to");
        if (data.IsEmpty)
        {
            return;
        }

        _hash.AppendData(data.Span);
        Length += data.Length;
        try
        {
            await WriteCoreAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsOpen)
        {
            await AbortAfterFailureAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<ClipDigest> FinishAsync(CancellationToken cancellationToken)
    {
        if (_state == State.Finished && _digest is { } digest)
        {
            return digest;
        }

        Require(State.Writing, "finish");
        try
        {
            await FinishCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsOpen)
        {
            await AbortAfterFailureAsync(e).ConfigureAwait(false);
            throw;
        }

        _digest = new ClipDigest(Convert.ToHexStringLower(_hash.GetHashAndReset()), Length);
        _state = State.Finished;
        return _digest;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var digest = await FinishAsync(cancellationToken).ConfigureAwait(false);
        if (Metadata.Sha256 is { } declared && !string.Equals(declared, digest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            await AbortAsync(cancellationToken).ConfigureAwait(false);
            throw new ClipDigestMismatchException(Key, declared, digest);
        }

        try
        {
            await CompleteCoreAsync(digest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsOpen)
        {
            await AbortAfterFailureAsync(e).ConfigureAwait(false);
            throw;
        }

        _state = State.Completed;
        ObjectStoreLog.Stored(_logger, Key, Metadata.ClipId, digest.Length, digest.Sha256);
    }

    public async Task AbortAsync(CancellationToken cancellationToken)
    {
        if (_state is State.Aborted)
        {
            return;
        }

        if (_state is State.Completed)
        {
            throw new InvalidOperationException($"The upload of {Key} is already complete; delete the object instead.");
        }

        _state = State.Aborted;
        await AbortQuietlyAsync(cancellationToken).ConfigureAwait(false);
        ObjectStoreLog.Aborted(_logger, Key, Metadata.ClipId, Length);
    }

    public async ValueTask DisposeAsync()
    {
        if (IsOpen)
        {
            await AbortAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _hash.Dispose();
        await DisposeCoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Takes the next bytes in order (the hash and length are already counted).</summary>
    protected abstract ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Sends or flushes whatever is still buffered; the object stays invisible.</summary>
    protected abstract Task FinishCoreAsync(CancellationToken cancellationToken);

    /// <summary>Makes the object visible under <see cref="Key"/>; its bytes are <paramref name="digest"/>.</summary>
    protected abstract Task CompleteCoreAsync(ClipDigest digest, CancellationToken cancellationToken);

    /// <summary>Discards everything; called at most once, and never after <see cref="CompleteCoreAsync"/>.</summary>
    protected abstract Task AbortCoreAsync(CancellationToken cancellationToken);

    /// <summary>Releases buffers and files; called once, after any abort.</summary>
    protected abstract ValueTask DisposeCoreAsync();

    private void Require(State state, string action)
    {
        if (_state != state)
        {
            throw new InvalidOperationException($"Cannot {action} the upload of {Key}: it is {_state.ToString().ToLowerInvariant()}.");
        }
    }

    /// <summary>A step that failed aborts the upload, so nothing half-written stays; the caller rethrows.</summary>
    private async Task AbortAfterFailureAsync(Exception failure)
    {
        _state = State.Aborted;
        await AbortQuietlyAsync(CancellationToken.None).ConfigureAwait(false);
        ObjectStoreLog.FailedAndAborted(_logger, failure, Key, Metadata.ClipId, Length);
    }

    /// <summary>
    /// The object is never completed, so nothing is stored whatever happens here; what the server
    /// still holds (the parts of a multipart upload) is cleaned up on a best-effort basis: a failure
    /// is logged and left to the bucket's lifecycle rule, not thrown over the caller's real outcome.
    /// </summary>
    private async Task AbortQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await AbortCoreAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort by design (see above); the failure is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ObjectStoreLog.AbortFailed(_logger, e, Key, Metadata.ClipId);
        }
    }
}
