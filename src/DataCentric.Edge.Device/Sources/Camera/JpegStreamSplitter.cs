using DataCentric.Edge.Device.Sources.Sensors;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>
/// Cuts a stream of concatenated JPEG images (ffmpeg's <c>image2pipe</c>, libcamera's MJPEG) into
/// frames at the start/end-of-image markers. Bytes outside an image are garbage and an image
/// larger than the limit is dropped; both are counted. Memory is bounded by the frame limit.
/// </summary>
public sealed class JpegStreamSplitter(Stream stream, int maxFrameBytes, BadInputCounter badInput)
{
    private const int ReadChunk = 64 * 1024;

    private byte[] _buffer = new byte[ReadChunk * 4];
    private int _start;
    private int _end;
    private int _scanFrom;
    private bool _inFrame;

    /// <summary>The next whole image, or null at the end of the stream.</summary>
    public async ValueTask<byte[]?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryCut(out var frame))
            {
                return frame;
            }

            MakeRoom();
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end > _start)
                {
                    badInput.Report("truncated-frame", $"the stream ended inside {_end - _start} bytes that are not a whole JPEG");
                }

                return null;
            }

            _end += read;
        }
    }

    private bool TryCut(out byte[]? frame)
    {
        frame = null;
        if (!_inFrame)
        {
            var soi = IndexOfMarker(0xD8, _start);
            if (soi < 0)
            {
                // Keep a trailing 0xFF: it may start the marker the next read completes.
                var keep = _end > _start && _buffer[_end - 1] == 0xFF ? 1 : 0;
                ReportGarbage(_end - keep - _start);
                _start = _end - keep;
                return false;
            }

            ReportGarbage(soi - _start);
            _start = soi;
            _scanFrom = soi + 2;
            _inFrame = true;
        }

        var eoi = IndexOfMarker(0xD9, _scanFrom);
        if (eoi < 0)
        {
            _scanFrom = Math.Max(_start + 2, _end - 1);
            if (_end - _start > maxFrameBytes)
            {
                badInput.Report("oversized-frame", $"no end-of-image marker within {maxFrameBytes} bytes");
                _start = _end;
                _inFrame = false;
            }

            return false;
        }

        var length = eoi + 2 - _start;
        frame = _buffer.AsSpan(_start, length).ToArray();
        _start = eoi + 2;
        _inFrame = false;
        return true;
    }

    private int IndexOfMarker(byte second, int from)
    {
        var span = _buffer.AsSpan(from, _end - from);
        var offset = 0;
        while (true)
        {
            var i = span[offset..].IndexOf((byte)0xFF);
            if (i < 0 || offset + i + 1 >= span.Length)
            {
                return -1;
            }

            if (span[offset + i + 1] == second)
            {
                return from + offset + i;
            }

            offset += i + 1;
        }
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            var pending = _end - _start;
            System.Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _scanFrom -= _start;
            _end = pending;
            _start = 0;
        }

        if (_buffer.Length - _end < ReadChunk)
        {
            Array.Resize(ref _buffer, Math.Min(Math.Max(_buffer.Length * 2, _end + ReadChunk), maxFrameBytes + (2 * ReadChunk)));
        }
    }

    private void ReportGarbage(int bytes)
    {
        if (bytes > 0)
        {
            badInput.Report("garbage", $"{bytes} bytes outside any JPEG image");
        }
    }
}
