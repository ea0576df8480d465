"""Writing a .docx zip from members already deflated, byte for byte as zipfile would.

python-docx's save deflates every part; the package is then rewritten in a fixed order
with fixed times (``package.normalise_package``). Inflating every part only to deflate it
again at the same level cost about as much as the save itself, so the deflated bytes are
carried over and framed here with the very headers Python's zipfile writes for
``ZipFile.writestr`` of a ``ZipInfo`` dated 1980-01-01 with mode 0644 to a seekable file.
"""

from __future__ import annotations

import struct
import sys
import zipfile
import zlib

__all__ = ["Deflated", "deflate", "deflated_member", "plain_deflated", "zip_of_deflated"]

# zipfile's own record layouts (see the zip format's APPNOTE), as zipfile packs them.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # zipfile's DEFAULT_VERSION: what deflate needs
_SYSTEM = 0 if sys.platform == "win32" else 3  # zipfile's create_system
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_MODE = 0o644 << 16
_LIMIT = (1 << 31) - 1  # beyond this zipfile would write zip64 records


class Deflated(tuple):
    """A member's raw deflate stream, its CRC-32 and its inflated size."""

    __slots__ = ()

    def __new__(cls, data: bytes, crc: int, size: int):
        """Hold a member's deflated bytes, CRC-32 and inflated size."""
        return super().__new__(cls, (data, crc, size))


def deflate(data: bytes, level: int = zlib.Z_DEFAULT_COMPRESSION) -> Deflated:
    """Deflate ``data`` as zipfile does at ``level`` (its default level unless given)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Deflated(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def plain_deflated(infos: list[zipfile.ZipInfo]) -> bool:
    """Whether every member is deflated with no data descriptor, ASCII name or extra."""
    return all(
        info.compress_type == zipfile.ZIP_DEFLATED
        and not info.flag_bits
        and not info.extra
        and info.filename.isascii()
        and info.file_size < _LIMIT
        and info.compress_size < _LIMIT
        for info in infos
    )


def deflated_member(blob: bytes, info: zipfile.ZipInfo) -> Deflated:
    """Return a member's deflated bytes as stored in ``blob``, found by its local header."""
    offset = info.header_offset
    header = _LOCAL.unpack_from(blob, offset)
    if header[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    start = offset + _LOCAL.size + header[10] + header[11]
    return Deflated(blob[start : start + info.compress_size], info.CRC, info.file_size)


def zip_of_deflated(members: list[tuple[str, Deflated]]) -> bytes:
    """Return the zip of ``members`` (name, deflated) in order, as zipfile would write it."""
    out = bytearray()
    central = bytearray()
    for name, (data, crc, size) in members:
        encoded = name.encode("ascii")
        offset = len(out)
        out += _LOCAL.pack(
            b"PK\x03\x04", _VERSION, 0, 0, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
            crc, len(data), size, len(encoded), 0,
        )  # fmt: skip
        out += encoded
        out += data
        central += _CENTRAL.pack(
            b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, 0, zipfile.ZIP_DEFLATED,
            _DOS_TIME, _DOS_DATE, crc, len(data), size, len(encoded), 0, 0, 0, 0, _MODE,
            offset,
        )  # fmt: skip
        central += encoded
    start = len(out)
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)
