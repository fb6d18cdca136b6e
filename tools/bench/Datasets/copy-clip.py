#!/usr/bin/env python3
"""Copies recorded clips under new clip ids, so copies of one clip export as distinct frames.

  copy-clip.py DEST_DIR COUNT SOURCE.mcap...

Writes DEST_DIR/clip-<n>.mcap for n < COUNT, from the sources in turn. In copy n the last
characters of the clip id in the clip.info metadata record are replaced by
'-c<n>' (same length: no record offset moves, so the summary stays valid) and the data section CRC
in the Data End record is recomputed; chunk and summary CRCs do not cover the metadata record.
"""
import struct
import sys
import zlib

MAGIC = b"\x89MCAP0\r\n"
METADATA, DATA_END = 0x0C, 0x0F


def string_at(data, offset):
    length = struct.unpack_from("<I", data, offset)[0]
    return data[offset + 4:offset + 4 + length].decode(), offset + 4 + length


def copy(source, dest, suffix):
    data = bytearray(open(source, "rb").read())
    if data[:8] != MAGIC:
        sys.exit(f"{source}: not an MCAP file")
    offset, patched = 8, False
    while True:
        opcode = data[offset]
        length = struct.unpack_from("<Q", data, offset + 1)[0]
        content = offset + 9
        if opcode == DATA_END:
            crc = zlib.crc32(bytes(data[:offset]))
            struct.pack_into("<I", data, content, crc)
            break
        if opcode == METADATA:
            _, cursor = string_at(data, content)        # record name
            end = cursor + 4 + struct.unpack_from("<I", data, cursor)[0]
            cursor += 4
            while cursor < end:
                key, value_at = string_at(data, cursor)
                value, cursor = string_at(data, value_at)
                if key == "clip_id":
                    if len(value) <= len(suffix):
                        sys.exit(f"{source}: clip id '{value}' is too short for suffix '{suffix}'")
                    data[value_at + 4:cursor] = (value[:-len(suffix)] + suffix).encode()
                    patched = True
        offset = content + length
    if not patched:
        sys.exit(f"{source}: no clip_id metadata found")
    open(dest, "wb").write(data)


if __name__ == "__main__":
    dest_dir, count, sources = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    for n in range(count):
        copy(sources[n % len(sources)], f"{dest_dir}/clip-{n}.mcap", f"-c{n:06d}")
