"""Writing output files so that a failed run never leaves a broken one.

Every file mali-map produces (maps, rejects, reports) is written to a
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

import os
import stat
import tempfile
from pathlib import Path


def atomic_write_text(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (temporary file, fsync, rename)."""
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename).

    The temporary file lives beside ``path`` (a rename across file systems is
    not atomic) and is named ``.NAME.XXXX.tmp`` so it is easy to recognise.
    The new file keeps the permissions of the file it replaces, or gets the
    usual ``0666 & ~umask`` when it is new. The parent folder must exist.

    A symbolic link is followed (the file it points to is replaced, the link stays), and a
    special file (``/dev/stdout``, ``/dev/full``, a named pipe) is written in place: renaming
    over it would replace a device by a regular file and hide a full disk. Write errors raise.
    """
    if _is_special(Path(path)):
        with open(path, "wb") as handle:
            handle.write(data)
            handle.flush()
        return
    target = Path(os.path.realpath(path))
    folder = target.parent
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, _mode_for(target))
        os.replace(temp_name, target)
    except BaseException:
        _remove_quietly(temp_name)
        raise
    _fsync_folder(folder)


def _is_special(target: Path) -> bool:
    """Whether ``target`` exists and is neither a regular file nor a folder (a device, a pipe, a socket)."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def remove_if_exists(path: str | os.PathLike) -> bool:
    """Delete ``path`` if it is there; return whether something was deleted."""
    try:
        os.remove(path)
    except FileNotFoundError:
        return False
    return True


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_quietly(name: str) -> None:
    try:
        os.remove(name)
    except OSError:
        pass


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not possible (nor needed) everywhere."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
