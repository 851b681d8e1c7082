"""Figures of a benchmark run, gathered for ``benchmarks/results.json``.

Each benchmark script prints its numbers for a person and also calls
:func:`figure` for each one. When ``run_all.py`` runs the script it names a
file in ``MALI_MAP_BENCH_RECORD``; every figure is appended there as one JSON
line, and ``run_all.py`` gathers the lines into ``results.json``. Run alone, a
script only prints.

A figure is ours, with the peers measured in the same run on the same input
(what a user would otherwise use). The ratio is ours divided by the peer, and
``advantage`` says how many times better ours is (above 1: ours is better;
for a rate higher is better, for a time or a size lower is better), so the
README can say "12x faster" without guessing the direction.
"""

from __future__ import annotations

import json
import operator
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RECORD_ENV = "MALI_MAP_BENCH_RECORD"
#: The comparisons a goal may use, as written in a target ("< 0.05", "≥ 80 %").
GOAL_OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}


def peer(name: str, value: float | None, *, note: str | None = None) -> dict[str, Any]:
    """A peer's figure (``value=None`` when the peer failed: ``note`` says how)."""
    return {"name": name, "value": value, "note": note}


def figure(
    key: str,
    label: str,
    value: float | None,
    unit: str,
    *,
    better: str = "higher",
    peers: list[dict[str, Any]] = (),
    target: str | None = None,
    note: str | None = None,
    no_peer: str | None = None,
    section: str = "speed",
    goal: tuple[str, float] | None = None,
) -> dict[str, Any]:
    """Record one of our figures with its peers; returns the record.

    ``better``: ``"higher"`` (rates) or ``"lower"`` (times, sizes, memory).
    ``note``: more about our figure (memory, CPU time; why it is missing when ``value`` is None).
    ``no_peer``: why no peer stands beside it. ``section``: which README table it belongs to
    (``"speed"``, ``"quality"``, ...).
    ``goal``: the target as a comparison, e.g. ``("<", 0.05)`` beside ``target="ECE < 0.05"``: the
    record's ``met`` is then True or False (None without a goal or a value), so the README can say
    "met" or "not met" without reading the target's text.
    """
    if better not in ("higher", "lower"):
        raise ValueError(f"better must be 'higher' or 'lower', not {better!r}")
    if goal is not None and goal[0] not in GOAL_OPERATORS:
        raise ValueError(f"a goal compares with one of {sorted(GOAL_OPERATORS)}, not {goal[0]!r}")
    rows = []
    for p in peers:
        p = dict(p)
        if value is not None and p["value"]:
            p["ratio"] = value / p["value"]
            p["advantage"] = p["ratio"] if better == "higher" else 1 / p["ratio"] if p["ratio"] else None
        else:
            p["ratio"] = p["advantage"] = None
        rows.append(p)
    record = {
        "key": key,
        "label": label,
        "value": value,
        "unit": unit,
        "better": better,
        "peers": rows,
        "target": target,
        "met": None if goal is None or value is None else bool(GOAL_OPERATORS[goal[0]](value, goal[1])),
        "note": note,
        "no_peer": no_peer,
        "section": section,
        "script": os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else None,
    }
    path = os.environ.get(RECORD_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return record


def compile_package() -> None:
    """Write mali-map's bytecode caches (``__pycache__``) before a start-up is timed, as any install
    does (pip compiles at install; an editable install writes them on first import), even when
    ``PYTHONDONTWRITEBYTECODE`` is set, as on some CI and sandbox machines: otherwise every timed
    run would compile the package's source again (about 0.2 s) and time that instead."""
    import compileall

    import mali_map

    compileall.compile_dir(str(Path(mali_map.__file__).parent), quiet=1)


def median_seconds(action: Callable[[], Any], runs: int) -> float:
    """Median wall-clock seconds of ``action()`` over ``runs`` calls."""
    times = []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def alternating_medians(actions: dict[str, Callable[[], Any]], runs: int) -> dict[str, float]:
    """Median seconds of each action, the actions taking turns in every run.

    Taking turns spreads a burst of load from the other users of a shared
    machine over all contestants instead of one.
    """
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(max(1, runs)):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


#: Runs ``mali-map ARGS`` and writes its own peak resident memory (KiB) to the file named first. Linux's
#: ``VmHWM`` starts afresh with a new program; a child's ``ru_maxrss`` (``RUSAGE_CHILDREN``, ``wait4``) does
#: not: it starts at the peak of the benchmark's process that spawned it.
_OWN_PEAK = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def report():
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    open(out, "w").write(status.split()[0])
atexit.register(report)
sys.argv[0] = "mali-map"
runpy.run_module("mali_map", run_name="__main__")
"""


def with_own_peak(peak_file: Path, *args: str) -> list[str]:
    """The command that runs ``mali-map ARGS`` and leaves its own peak memory in ``peak_file``
    (read it with :func:`own_peak_mb`; Linux only)."""
    return [sys.executable, "-c", _OWN_PEAK, str(peak_file), *args]


def own_peak_mb(peak_file: Path) -> float:
    """The peak memory, in MB, that a :func:`with_own_peak` command left."""
    return int(Path(peak_file).read_text(encoding="ascii")) / 1024


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far, in MB (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
