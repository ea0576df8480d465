"""Opening a .docx someone else sent: a zip read within fixed bounds.

A returned contract is untrusted input. Its central directory is checked before any
part is inflated: the number of parts, each part's size, their total and the
compression ratio are capped, so a zip bomb or a 1 GiB part is refused at once
rather than read into memory. Parts are inflated in chunks, so a directory that lies
about a part's size is caught as the data arrives.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from toolkit.exceptions import ContractReadError

MAX_PARTS = 2_000
MAX_PART_BYTES = 64 * 1024 * 1024  # the largest contract part is well under 1 MB
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # XML compresses about 10:1; a bomb compresses thousands to one
_RATIO_FLOOR = 1024 * 1024  # small parts may compress as they like
_CHUNK = 1024 * 1024


class DocxArchive:
    """The parts of a .docx, read lazily and within bounds."""

    def __init__(self, source: str | Path | bytes, name: str | None = None) -> None:
        """Open a .docx from a path or its bytes; raise ContractReadError if it is not one."""
        self.name = name or ("the document" if isinstance(source, bytes) else str(source))
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        except FileNotFoundError:
            raise ContractReadError(f"{self.name}: file not found") from None
        except IsADirectoryError:
            raise ContractReadError(
                f"{self.name}: not a readable Word (.docx) file (it is a folder)"
            ) from None
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ContractReadError(
                f"{self.name}: not a readable Word (.docx) file ({exc})"
            ) from None
        self._infos = {}
        total = 0
        infos = self._zip.infolist()
        if len(infos) > MAX_PARTS:
            self._refuse(f"it holds {len(infos):,} parts (at most {MAX_PARTS:,} are read)")
        for info in infos:
            if info.file_size > MAX_PART_BYTES:
                self._refuse(
                    f"its part {info.filename} would unpack to {info.file_size:,} bytes "
                    f"(at most {MAX_PART_BYTES:,})"
                )
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                self._refuse(
                    f"its part {info.filename} is compressed more than {MAX_RATIO} to 1 "
                    "(a zip bomb)"
                )
            total += info.file_size
            if info.filename in self._infos:
                self._refuse(f"it holds the part {info.filename} twice")
            self._infos[info.filename] = info
        if total > MAX_TOTAL_BYTES:
            self._refuse(f"its parts would unpack to {total:,} bytes (at most {MAX_TOTAL_BYTES:,})")

    def _refuse(self, why: str) -> None:
        raise ContractReadError(
            f"{self.name}: refused to read: {why}. A Word contract is far smaller; "
            "ask the sender for the document as Word saved it."
        )

    @property
    def names(self) -> list[str]:
        """Return the part names, in the zip's order."""
        return list(self._infos)

    def has(self, name: str) -> bool:
        """Return whether the package holds a part of this name."""
        return name in self._infos

    def read(self, name: str) -> bytes:
        """Return a part's bytes, inflated in chunks and never beyond the declared bounds."""
        info = self._infos.get(name)
        if info is None:
            raise ContractReadError(
                f"{self.name}: not a readable Word (.docx) file (the part {name} is missing)"
            )
        out = bytearray()
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    out += chunk
                    if len(out) > min(info.file_size, MAX_PART_BYTES):
                        self._refuse(f"its part {name} is larger than its directory says")
        except ContractReadError:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ContractReadError(
                f"{self.name}: the part {name} cannot be read ({exc})"
            ) from None
        return bytes(out)


def parse_xml(archive: DocxArchive, name: str):
    """Return a part parsed as XML (no entities, no network), or raise ContractReadError."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(archive.read(name), parser)
    except etree.XMLSyntaxError as exc:
        raise ContractReadError(
            f"{archive.name}: the part {name} is not well-formed XML ({exc})"
        ) from None
