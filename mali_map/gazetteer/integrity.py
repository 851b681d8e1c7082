"""Is an index file still the one we wrote? Cheap checks at every open, a checksum when in doubt.

A damaged place index must never answer: a truncated file made every command fail with
"database disk image is malformed", and flipped bytes made ``geocode Kyati`` answer Tbilisi.
So when mali-map writes an index (the embedded one, a saved gazetteer) it also writes a small
record beside it (``NAME.sqlite.check``): the file's size, modification time and inode, and a
CRC-32 of its bytes. Each open then costs one ``stat`` and a read of the 100-byte header:

- the header must be SQLite's, and the file as long as the header says (truncation, junk);
- when size, time and inode are those recorded, the file is the one written;
- otherwise (it was written to, copied, restored) its bytes are checksummed (about 0.05 s for
  the 80 MB embedded index) and must match the record;
- a file without a record (written by an older mali-map) gets ``PRAGMA quick_check`` once,
  then a record;
- a journal left beside the file by a killed writer is rolled back and removed first
  (:func:`settle_journal`); a folder at the file's path is named as such.

:func:`problem` says what is wrong, or ``None``; callers rebuild (the embedded index) or skip
(a saved gazetteer) with one warning.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from pathlib import Path
from urllib.parse import quote

RECORD_SUFFIX = ".check"
#: the files this process found sound, to be doubted again if SQLite later reports damage in one
_TRUSTED: set[Path] = set()
_HEADER_MAGIC = b"SQLite format 3\x00"
_CHUNK_BYTES = 1 << 20


def record_path(path: Path) -> Path:
    """Where the record of ``path`` is kept."""
    return path.with_name(path.name + RECORD_SUFFIX)


def record(path: Path, crc32: int | None = None) -> None:
    """Remember ``path`` as sound: its size, time, inode and checksum (written atomically)."""
    target = record_path(path)
    temp = target.with_name(f".{target.name}.{os.getpid()}.0.tmp")  # named as stale.py recognises
    try:
        temp.write_text(json.dumps({**_fingerprint(path), "crc32": checksum(path) if crc32 is None else crc32}))
        os.replace(temp, target)
    except OSError:  # a read-only folder: the file is checked again next time, nothing is lost
        temp.unlink(missing_ok=True)


def forget(path: Path) -> None:
    """Drop the record of ``path``, so the next open checks it in full."""
    record_path(path).unlink(missing_ok=True)


def problem(path: Path) -> str | None:
    """Why ``path`` cannot be trusted as an index (truncated, overwritten, changed), or ``None``."""
    found = _problem(path)
    if found is None:
        _TRUSTED.add(path)
    return found


def doubt_all() -> None:
    """SQLite reported damage while reading: make every file trusted so far prove its checksum
    again at the next open (the one that changed is then rebuilt or skipped)."""
    for path in _TRUSTED:
        saved = _read_record(path)
        if saved is not None:
            try:
                record_path(path).write_text(json.dumps({**saved, "mtime_ns": -1}))
            except OSError:
                forget(path)
    _TRUSTED.clear()


def _problem(path: Path) -> str | None:
    if path.exists() and not path.is_file():
        return "it is a folder or a special file, not an index file; remove it (mali-map does not delete folders)"
    settle_journal(path)
    try:
        structure = _structure_problem(path)
        if structure:
            return structure
        saved = _read_record(path)
        if saved is None:
            return _first_check(path)
        if {key: saved.get(key) for key in ("size", "mtime_ns", "inode")} == _fingerprint(path):
            return None
        crc32 = checksum(path)
        if saved.get("crc32") != crc32:
            return "its contents changed since mali-map wrote it"
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    record(path, crc32)  # the same bytes, moved or copied: trust it cheaply from now on
    return None


#: the files SQLite keeps beside a database during a write; ours are written without them
JOURNAL_SUFFIXES = ("-journal", "-wal", "-shm")


def journal_paths(path: Path) -> list[Path]:
    """The SQLite journal files that could lie beside ``path``."""
    return [path.with_name(path.name + suffix) for suffix in JOURNAL_SUFFIXES]


def settle_journal(path: Path) -> bool:
    """Resolve a journal left beside ``path`` by a write that was cut off; whether there was one.

    mali-map writes its indexes without a journal, so a hot ``-journal`` (or ``-wal``) beside one
    comes from another writer that was killed. Left there, it made every read-only open fail with
    "attempt to write a readonly database", and a rebuilt index inherited it. SQLite is first let
    to roll the interrupted write back (a read-write open does it); the journal is then removed
    whatever happened. The checks that follow decide whether the file is still the one written
    (rolled back to it: kept; otherwise: rebuilt or skipped).
    """
    present = [journal for journal in journal_paths(path) if journal.exists()]
    if not present:
        return False
    try:
        conn = sqlite3.connect(f"file:{quote(path.as_posix())}?mode=rw", uri=True, timeout=1.0)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # rolls a hot journal back
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # a damaged journal, a read-only folder: the checks below judge the file itself
    drop_journals(path)
    return True


def drop_journals(path: Path) -> None:
    """Remove any journal beside ``path`` (before a new index is renamed into its place)."""
    for journal in journal_paths(path):
        try:
            if journal.is_file():
                journal.unlink()
        except OSError:
            pass


def checksum(path: Path) -> int:
    """CRC-32 of the bytes of ``path``: catches damage, not forgery (nobody forges a cache)."""
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            crc = zlib.crc32(chunk, crc)
    return crc


def _fingerprint(path: Path) -> dict[str, int]:
    status = path.stat()
    return {"size": status.st_size, "mtime_ns": status.st_mtime_ns, "inode": status.st_ino}


def _read_record(path: Path) -> dict | None:
    try:
        saved = json.loads(record_path(path).read_text())
    except (OSError, ValueError):
        return None
    return saved if isinstance(saved, dict) else None


def _structure_problem(path: Path) -> str | None:
    """What the header and the size say: not SQLite, or shorter or longer than the header says."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(_HEADER_MAGIC):
        return "not an SQLite file any more"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    change_counter, valid_for = header[24:28], header[92:96]
    if page_size < 512 or page_size & (page_size - 1):
        return "its header is damaged"
    if pages and change_counter == valid_for and size != pages * page_size:
        return f"it is {size:,} bytes long, not the {pages * page_size:,} its header says"
    return None


def _first_check(path: Path) -> str | None:
    """A file without a record: SQLite's own quick check, once, then a record."""
    try:
        conn = sqlite3.connect(f"file:{quote(path.as_posix())}?mode=ro", uri=True)
        try:
            verdict = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    if not verdict or verdict[0] != "ok":
        return f"SQLite finds it damaged ({verdict[0] if verdict else 'no answer'})"
    record(path)
    return None
