"""Temporary files of killed runs: recognised by the process id in their name, removed on the next run.

An import or an index build writes a temporary file beside its target and renames it at the end;
a run killed half-way leaves that file behind (five killed imports left 121 MB). Each temporary
name carries its writer's process id (``.NAME.PID.XXXX.tmp``, ``.NAME.PID.XXXX.tmp.EXT`` for
outputs, ``.places-PID-XXXX.sqlite``), so a later run can tell a file whose writer is gone (remove
it) from one still being written by a concurrent run (leave it). A file older than :data:`STALE_AFTER_S`
is removed whatever its name says, since process ids are reused.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

#: a temporary file this old is stale even if a process with its id is running
STALE_AFTER_S = 24 * 3600.0
_PID = re.compile(
    r"^\.(?:places-(?P<build>\d+)-.*\.sqlite|.+\.(?P<import>\d+)\.[0-9a-z_]+\.tmp(?:\.[A-Za-z0-9]{1,8})?)$"
)


def temporary_name_prefix() -> str:
    """The prefix of this process's embedded-index temporaries: ``.places-PID-``."""
    return f".places-{os.getpid()}-"


def remove_stale_temporaries(folder: Path) -> int:
    """Remove the temporaries in ``folder`` whose writer is gone (or that are a day old); how many."""
    removed = 0
    try:
        candidates = [entry for entry in os.scandir(folder) if entry.name.startswith(".")]
    except OSError:
        return 0
    now = time.time()
    for entry in candidates:
        match = _PID.match(entry.name)
        if not match:
            continue
        pid = int(match.group("build") or match.group("import"))
        try:
            old = now - entry.stat().st_mtime > STALE_AFTER_S
            if pid != os.getpid() and (old or not _running(pid)):
                os.remove(entry.path)
                removed += 1
        except OSError:
            pass  # gone already, or not ours to remove
    return removed


def _running(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there: rely on the age alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: assume it is still writing
    return True
