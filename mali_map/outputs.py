"""Everything a run writes goes through here: never over an input, staged, committed together, one-line errors.

Three rules, kept in one place so that every command (``map``, ``article``, the library's writers)
obeys them the same way:

- **No output is an input.** :func:`check_outputs` refuses an output path that is an input, or a
  link (symbolic or hard) to one, before any work is done: ``article d/report.md -o d`` would have
  replaced the report it reads, ``map x.geojson --export x.geojson`` the table it maps.
- **A run writes all its outputs or none.** :class:`Outputs` stages each file beside its final
  name (``.NAME.PID.XXXX.tmp``, recognised and removed by later runs if this one is killed), and
  :meth:`Outputs.commit` renames them into place one after the other only once every one is
  ready: a run killed while the export is being written leaves the previous page and the
  previous export, never a new page beside an old export.
- **A failed write is one line naming the file.** Whatever fails (an ``OSError``, a GDAL error
  from pyogrio, a full disk, ``/proc``), :class:`~mali_map.errors.CannotWrite` says
  ``PATH: cannot write: REASON`` and nothing half-written is left.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with Outputs() as outputs:
...     staged = [outputs.text(folder / name, text) for name, text in (("a.txt", "one"), ("b.txt", "two"))]
...     outputs.commit()
>>> sorted(p.name for p in folder.iterdir())
['a.txt', 'b.txt']
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import BadInput, CannotWrite

#: the longest reason kept from a library's error message (a GDAL error can quote a page of SQL)
_REASON_CHARS = 160


def check_outputs(outputs: Iterable[tuple[str, str | os.PathLike | None]], inputs: Iterable[str | os.PathLike]) -> None:
    """:class:`BadInput` when an output is one of the inputs, or a link to one.

    ``outputs`` are ``(what, path)`` pairs (``("--export", "x.geojson")``; a ``None`` path is skipped)
    so the message names the option. ``-`` (stdin) is not a file and never clashes.
    """
    given = [Path(name) for name in inputs if str(name) != "-"]
    for what, path in outputs:
        if path is None:
            continue
        for source in given:
            if same_file(Path(path), source):
                raise BadInput(f"{what} {path} is the input file {source}; choose another output name")


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are, or would be once written, the same file (links followed)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist yet
        return os.path.realpath(a) == os.path.realpath(b)


def cannot_write(path: str | os.PathLike, error: BaseException) -> CannotWrite:
    """The one-line error for a write of ``path`` that failed with ``error``."""
    return CannotWrite(f"{path}: cannot write: {reason(error)}")


def reason(error: BaseException) -> str:
    """Why a write failed, in a few words: ``No space left on device``, not a traceback or a page of SQL."""
    if isinstance(error, CannotWrite):
        return str(error).split(": cannot write: ", 1)[-1]
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 1] + "…"


def write_output(path: str | os.PathLike, data: str | bytes, *, inputs: Iterable[str | os.PathLike] = ()) -> Path:
    """Write one output file now (atomically, its folder made); :class:`CannotWrite` names it on failure."""
    with Outputs(inputs=inputs) as outputs:
        staged = outputs.text(path, data) if isinstance(data, str) else outputs.data(path, data)
        outputs.commit()
    return staged


class Outputs:
    """The outputs of one run, staged beside their targets and renamed into place together by :meth:`commit`.

    Use as a context manager: leaving it without a commit (an error, Ctrl-C) removes every staged
    file and leaves the previous outputs as they were. ``inputs`` are checked against every path.
    """

    def __init__(self, *, inputs: Iterable[str | os.PathLike] = ()) -> None:
        self.inputs = [str(name) for name in inputs]
        self._staged: list[tuple[Path, Path]] = []  # (temporary, final), renamed in order
        self._in_place: list[tuple[Path, bytes]] = []  # devices and pipes: written at commit
        self._removals: list[Path] = []
        self._cleaned: set[Path] = set()
        self._private: list[Path] = []  # private folders of copies (see :meth:`staged`)

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()

    def text(self, path: str | os.PathLike, text: str) -> Path:
        """Stage ``text`` (UTF-8) for ``path``; returns ``path``."""
        return self.data(path, text.encode("utf-8"))

    def data(self, path: str | os.PathLike, data: bytes) -> Path:
        """Stage the bytes ``data`` for ``path``; returns ``path``."""
        path = Path(path)
        if _is_special(path):
            self._check(path)
            self._in_place.append((path, data))
            return path

        def write(temporary: Path) -> None:
            with open(temporary, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())

        return self.file(path, write)

    def file(self, path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
        """Stage the file ``write(temporary)`` makes (an export, a picture) for ``path``; returns ``path``.

        ``temporary`` keeps ``path``'s suffix, so a writer that picks its format by suffix still can.
        """
        path = Path(path)
        self._check(path)
        if _is_special(path):  # a device: written whole at commit from a private temporary copy
            with tempfile.TemporaryDirectory(prefix="mali-map-out-") as folder:
                temporary = Path(folder) / f"out{path.suffix}"
                self._run(path, write, temporary)
                self._in_place.append((path, temporary.read_bytes()))
            return path
        target = Path(os.path.realpath(path))  # a link stays a link: the file it points to is replaced
        if target.is_dir():
            raise BadInput("is a folder, not a file", where=str(path))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._clean(target.parent)
            fd, name = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=f".tmp{path.suffix}"
            )
            os.close(fd)
        except OSError as error:
            raise cannot_write(path, error) from None
        temporary = Path(name)
        self._staged.append((temporary, target))
        temporary.unlink()  # some writers (GDAL) refuse to write over an existing file
        self._run(path, write, temporary)
        try:
            os.chmod(temporary, _mode_for(target))
        except OSError as error:
            raise cannot_write(path, error) from None
        return path

    def staged(self, path: str | os.PathLike) -> Path:
        """Where the file staged for ``path`` is until :meth:`commit` (to read it back, e.g. to photograph a page).

        A device or pipe (``-o /dev/stdout``) has no file beside it: a private copy is made.
        """
        target = Path(os.path.realpath(path))
        for temporary, final in self._staged:
            if final == target:
                return temporary
        for special, data in self._in_place:
            if special == Path(path):
                folder = Path(tempfile.mkdtemp(prefix="mali-map-out-"))
                self._private.append(folder)
                copy = folder / f"staged{special.suffix or '.html'}"
                copy.write_bytes(data)
                return copy
        raise KeyError(str(path))

    def remove(self, path: str | os.PathLike) -> None:
        """Delete ``path`` at commit if it is there (a rejects file that would no longer describe the map)."""
        self._check(Path(path))
        self._removals.append(Path(path))

    def commit(self) -> None:
        """Put every staged file in place (renames, then devices), then make the removals.

        The renames run in the reverse order of staging: the first file staged (the page, which
        names the others) is put in place last, so even a kill between two renames never shows a
        new page beside an old export.
        """
        for temporary, final in reversed(self._staged):
            try:
                os.replace(temporary, final)
            except OSError as error:
                raise cannot_write(final, error) from None
        folders = {final.parent for _, final in self._staged}
        self._staged.clear()
        for folder in folders:
            _fsync_folder(folder)
        for path, data in self._in_place:
            try:
                with open(path, "wb") as handle:
                    handle.write(data)
                    handle.flush()
            except OSError as error:
                raise cannot_write(path, error) from None
        self._in_place.clear()
        for path in self._removals:
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                raise cannot_write(path, error) from None
        self._removals.clear()

    def discard(self) -> None:
        """Remove whatever was staged and not committed."""
        for temporary, _ in self._staged:
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass
        self._staged.clear()
        self._in_place.clear()
        self._removals.clear()
        for folder in self._private:
            shutil.rmtree(folder, ignore_errors=True)
        self._private.clear()

    def _check(self, path: Path) -> None:
        check_outputs([("the output", path)], self.inputs)

    def _run(self, path: Path, write: Callable[[Path], object], temporary: Path) -> None:
        try:
            write(temporary)
        except (BadInput, KeyboardInterrupt, MemoryError):
            raise
        except CannotWrite as error:
            raise cannot_write(path, error) from None
        except Exception as error:  # noqa: BLE001 - GDAL, pyarrow and the OS each raise their own kind
            raise cannot_write(path, error) from None

    def _clean(self, folder: Path) -> None:
        """Temporaries of killed runs in ``folder`` are removed once per run (their writer is gone)."""
        if folder not in self._cleaned:
            from .gazetteer.stale import remove_stale_temporaries

            remove_stale_temporaries(folder)
            self._cleaned.add(folder)


def _is_special(path: Path) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a folder (a device, a pipe, a socket)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
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


__all__ = ["Outputs", "check_outputs", "write_output", "same_file", "cannot_write"]
