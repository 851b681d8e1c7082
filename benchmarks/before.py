"""The code before this round of work, measured in the same run as today's.

Every quality and speed figure of a round stands beside the figure of the code
before it, measured on the same machine in the same run (the machine is
shared and noisy, so figures from another day do not compare). This module
extracts the package as it was at :data:`ROUND_BASE` from this clone's git
history into a temporary folder, and runs a benchmark script against it in a
subprocess, with its own cache and data folders.

A script that wants a before figure accepts ``--package-root DIR --json``:
it imports ``mali_map`` from ``DIR`` and prints its measures as one JSON
object. :func:`measure_before` runs it and returns that object, or a string
saying why the old code could not be measured (a shallow clone, a failure).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The last commit of main before round 3 (issues 15 to 21).
ROUND_BASE = "a78f754"
ROUND_BASE_LABEL = f"the code before this round (commit {ROUND_BASE}, measured in this run)"


def measure_before(script: Path, *args: str, commit: str = ROUND_BASE, timeout_s: float = 900) -> dict | str:
    """Run ``script --package-root OLD --json *args`` against the package at ``commit``."""
    with tempfile.TemporaryDirectory(prefix="mali-map-before-") as folder:
        archive = subprocess.run(
            ["git", "-C", str(HERE.parent), "archive", commit, "mali_map", "geodata"],
            capture_output=True,
            check=False,
        )
        if archive.returncode:
            return f"not measured: commit {commit} is not in this clone's history"
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        env = {
            **os.environ,
            "MALI_MAP_CACHE_DIR": os.path.join(folder, "cache"),
            "MALI_MAP_DATA_DIR": os.path.join(folder, "data"),
            "PYTHONPATH": folder,
        }
        env.pop("MALI_MAP_BENCH_RECORD", None)
        try:
            done = subprocess.run(
                [sys.executable, str(script), "--package-root", folder, "--json", *args],
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=timeout_s,
            )
        except subprocess.TimeoutExpired:
            return f"not measured: the old code took over {timeout_s:.0f} s"
        if done.returncode:
            return f"not measured: the old code failed ({done.stderr.strip().splitlines()[-1:]})"
        return json.loads(done.stdout)


def use_package_root(root: Path | None) -> None:
    """Import ``mali_map`` from ``root`` (the old code) rather than this checkout."""
    if root is not None:
        sys.path.insert(0, str(root))
