"""Files in and out: text read by one decoding rule, outputs written atomically.

**Reading.** Every text input (incident tables, gazetteer files, ``--file``
lists) is decoded by the same rule, :func:`text_encoding`: UTF-16 when it starts
with a byte-order mark (Excel's "Unicode text"), else UTF-8 with or without BOM,
else Windows-1252 (which spreadsheets still write; a superset of Latin-1's
printable characters). A NUL byte anywhere, or control characters near the start, mean a binary file.
:func:`read_text` applies it to a whole file, :func:`decode_text` to bytes.

**Writing.** Outputs are never left broken by a failed run. :func:`atomic_write_text` and
:func:`atomic_write_bytes` go through the one writer of :mod:`mali_map.outputs`: every file
mali-map produces (maps, rejects, reports, exports) is written to a
temporary file in the destination folder, flushed to disk, then renamed over
the destination with :func:`os.replace`. The rename is atomic on POSIX and
Windows, so a reader (or the user's browser) sees either the previous file or
the complete new one, never a truncated page; if anything fails before the
rename, the temporary file is removed and the previous file is untouched.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(folder / "map.html", "<html></html>")
>>> (folder / "map.html").read_text()
'<html></html>'
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from .errors import BadInput

#: how much of the start of a file the binary check looks at
SNIFF_BYTES = 8192
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def text_encoding(sample: bytes, *, complete: bool = True) -> str:
    """``"utf-16"``, ``"utf-8"`` or ``"cp1252"``: how the text file starting with ``sample`` is decoded.

    ``complete``: ``sample`` is the whole file; when it is only the start, a
    character cut in two at its end does not count against UTF-8. Text that is
    mostly UTF-8 with a few bad bytes stays UTF-8 (the bad bytes are reported
    or replaced), rather than turning every accented letter into two.

    >>> text_encoding("Ségou".encode("utf-8")), text_encoding("Ségou".encode("cp1252"))
    ('utf-8', 'cp1252')
    """
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if not complete and error.start >= len(sample) - 3:
            return "utf-8"
        if _UTF8_SEQUENCE.search(sample):
            return "utf-8"
        return "cp1252"


def decode_text(data: bytes, *, where: str, binary_hint: str = "expected a text file") -> tuple[str, list[str]]:
    """The text of a whole file's ``data`` by :func:`text_encoding`, and notes on how it was read.

    Raises :class:`BadInput` (naming ``where``) for binary data or a broken UTF-16 file.
    """
    # The encoding is read from the start of the file; bad bytes further on are reported by line, so a
    # UTF-8 file with one stray byte deep inside keeps its accents and the reader learns where it is.
    encoding = text_encoding(data[:SNIFF_BYTES], complete=len(data) <= SNIFF_BYTES)
    if encoding == "utf-16":
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise BadInput("not valid UTF-16 text despite its byte-order mark", where=where) from None
    nul = data.find(b"\x00")  # anywhere in the data, not only at its start
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise BadInput(f"binary file (a NUL byte), {binary_hint}", where=f"{where}:{line}")
    if encoding == "cp1252":
        if any(byte < 32 and byte not in (9, 10, 13) for byte in data[:SNIFF_BYTES]):
            raise BadInput(f"binary file, {binary_hint}", where=where)
        return data.decode("cp1252", errors="replace"), [f"{where}: not UTF-8, read as Windows-1252"]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return (
            data.decode("utf-8-sig", errors="replace"),
            [f"{where}:{line}: bytes that are not UTF-8 (the first on this line) read as U+FFFD"],
        )


#: the most read from a device or pipe given as input (a file's size is known in advance)
MAX_STREAM_BYTES = 1024**3


def read_bytes(
    path: str | os.PathLike, *, where: str | None = None, binary_hint: str = "expected a text file"
) -> bytes:
    """The bytes of the input at ``path``: a file, or a device or pipe (``/dev/stdin``, ``<(...)``).

    Raises :class:`BadInput` naming the input for a missing, unreadable or empty one, a folder,
    and a stream that sends a NUL byte or more than :data:`MAX_STREAM_BYTES` (so ``/dev/zero``
    cannot fill the memory).
    """
    where = where or str(path)
    path = Path(path)
    try:
        data = path.read_bytes() if path.is_file() else _read_stream(path, where, binary_hint)
    except FileNotFoundError:
        raise BadInput("no such file", where=where) from None
    except IsADirectoryError:
        raise BadInput(f"is a folder, {binary_hint}", where=where) from None
    except PermissionError:
        raise BadInput("cannot read (permission denied)", where=where) from None
    if not data.strip():
        raise BadInput("empty file", where=where)
    return data


def _read_stream(path: Path, where: str, binary_hint: str) -> bytes:
    """A device or pipe, read a chunk at a time and refused at its first NUL byte or past the limit."""
    if path.is_dir():
        raise IsADirectoryError(str(path))
    parts: list[bytes] = []
    size = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            if b"\x00" in chunk:
                raise BadInput(f"binary file (a NUL byte), {binary_hint}", where=where)
            size += len(chunk)
            if size > MAX_STREAM_BYTES:
                raise BadInput(
                    f"more than {MAX_STREAM_BYTES:,} bytes from a stream; save it to a file first", where=where
                )
            parts.append(chunk)
    return b"".join(parts)


def read_text(
    path: str | os.PathLike, *, where: str | None = None, binary_hint: str = "expected a text file"
) -> tuple[str, list[str]]:
    """The text of the input at ``path`` (:func:`read_bytes`, :func:`decode_text`) and notes on how it was read."""
    where = where or str(path)
    return decode_text(read_bytes(path, where=where, binary_hint=binary_hint), where=where, binary_hint=binary_hint)


def atomic_write_text(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (temporary file, fsync, rename)."""
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename), through the one writer of outputs.

    See :class:`mali_map.outputs.Outputs`: the temporary file lives beside ``path`` (a rename across file
    systems is not atomic), named ``.NAME.PID.XXXX.tmp`` so a later run removes it if this one is killed;
    the new file keeps the permissions of the file it replaces, or gets ``0666 & ~umask``. A symbolic
    link is followed (the file it points to is replaced, the link stays), and a special file
    (``/dev/stdout``, ``/dev/full``, a named pipe) is written in place. A failure raises
    :class:`~mali_map.errors.CannotWrite` (an ``OSError``) naming the file.
    """
    from .outputs import write_output

    write_output(path, data)


def remove_if_exists(path: str | os.PathLike) -> bool:
    """Delete ``path`` if it is there; return whether something was deleted."""
    try:
        os.remove(path)
    except FileNotFoundError:
        return False
    return True
