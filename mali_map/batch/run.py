"""Running a batch: plan, check, process the partitions (on Dask or serially), merge, report.

The partitions are independent (no shuffle): each is a map task that reads its
own inputs, opens the gazetteer on its worker once, and checkpoints its rows.
The client only plans, waits and merges the checkpoints in partition order.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadInput
from . import checkpoint
from .plan import PARTS, Plan, Unit, plan_run
from .work import PartitionResult, Settings, run_partition

SERIAL = "serial"


@dataclass
class BatchResult:
    """What a run did: the files written and the run record (``run.json``'s content)."""

    out_dir: Path
    record: dict
    outputs: dict[str, Path] = field(default_factory=dict)


def dask_available() -> bool:
    """Whether the ``mali-map[dask]`` extra is installed and imports (only ``batch`` asks)."""
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def run_batch(
    inputs: list[str],
    out_dir: str | os.PathLike,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    partitions: int | None = None,
    country: str | None = None,
    only: tuple[str, ...] = (),
    gazetteers: tuple[str, ...] = (),
    say: Callable[[str], None] = lambda line: None,
) -> BatchResult:
    """Process articles or one incident table into ``out_dir`` (see :mod:`mali_map.batch`).

    ``scheduler``: ``"local"`` (a local Dask cluster of ``workers`` processes), a
    ``tcp://HOST:PORT`` address, a scheduler file, or ``"serial"``; by default
    ``"local"`` when Dask is installed, else serial (``say`` is told so in one line).
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BadInput(f"-o must name a folder, and {out} is a file")
    out.mkdir(parents=True, exist_ok=True)
    if partitions is not None and partitions < 1:
        raise BadInput("--partitions must be at least 1")
    if workers is not None and workers < 1:
        raise BadInput("--workers must be at least 1")
    if scheduler is None:
        scheduler = "local" if dask_available() else SERIAL
        if scheduler == SERIAL:
            say("Dask is not installed (pip install 'mali-map[dask]'): running serially, same outputs")
    elif scheduler != SERIAL and not dask_available():
        raise BadInput(f"--scheduler {scheduler} needs Dask: pip install 'mali-map[dask]'")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    index_path = check_readable(gazetteers)
    options = {"country": country, "only": list(only), "gazetteers": list(gazetteers)}
    plan = plan_run(list(inputs), out, partitions=partitions, options=options)
    _start_or_resume(out, plan, say)
    seconds["plan"] = time.perf_counter() - started
    settings = Settings(
        str(out.resolve()),
        country=country,
        only=tuple(only),
        gazetteers=tuple(str(Path(g).resolve()) for g in gazetteers),
        table_kind=plan.table_kind,
        table_name=plan.table or "",
    )
    started = time.perf_counter()
    tasks = list(enumerate(plan.partitions))
    if scheduler == SERIAL:
        results = _run_serial(tasks, settings, plan.kind)
    else:
        results = _run_dask(tasks, settings, plan.kind, scheduler=scheduler, workers=workers)
    seconds["process"] = time.perf_counter() - started
    from .outputs import finish

    return finish(
        out,
        plan,
        results,
        seconds=seconds,
        scheduler=scheduler,
        workers=workers,
        inputs=list(inputs),
        index_path=index_path,
    )


def check_readable(gazetteers: tuple[str, ...]) -> Path:
    """The index path, built if needed; it and every ``--gazetteer`` file must be readable
    (by this process here, and by every worker: they open the same paths)."""
    from ..gazetteer.embedded import embedded_index_path

    path = embedded_index_path()
    for item in (path, *map(Path, gazetteers)):
        if not item.is_file() or not os.access(item, os.R_OK):
            raise BadInput(
                f"cannot read {item}: every worker opens the place index and --gazetteer files at these paths"
            )
    return path


def _start_or_resume(out: Path, plan: Plan, say: Callable[[str], None]) -> None:
    """Keep finished partitions of the same run; start afresh when the inputs or options changed."""
    parts = out / PARTS
    stamp = parts / "plan.fingerprint"
    fingerprint = plan.fingerprint()
    if stamp.exists() and stamp.read_text() != fingerprint:
        say(f"{out}: inputs, partitions or options changed since the last run there: starting afresh")
        for old in parts.glob("part-*"):
            old.unlink()
    parts.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint)
    done = sum(checkpoint.is_done(out, i) for i in range(len(plan.partitions)))
    if done:
        say(f"resuming: {done} of {len(plan.partitions)} partitions already done in {out}")


def _run_serial(tasks: Sequence[tuple[int, list[Unit]]], settings: Settings, kind: str) -> list[PartitionResult]:
    results = []
    for index, units in tasks:
        results.append(_with_retry(index, units, settings, kind))
    return results


def _with_retry(index: int, units: list[Unit], settings: Settings, kind: str) -> PartitionResult:
    """A partition tried twice; failing both times, its inputs are reported with the error."""
    error: BaseException | None = None
    for _attempt in range(2):
        try:
            return run_partition(index, units, settings, kind)
        except KeyboardInterrupt:
            raise
        except Exception as failure:  # reported in run.json, the run goes on
            error = failure
    return _failed(index, units, error)


def _failed(index: int, units: list[Unit], error: BaseException | None) -> PartitionResult:
    message = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")
    labels = [u.label for u in units]
    return PartitionResult(index, failures=[{"input": label, "error": message} for label in labels])


def _run_dask(
    tasks: Sequence[tuple[int, list[Unit]]], settings: Settings, kind: str, *, scheduler: str, workers: int | None
) -> list[PartitionResult]:
    """The partitions as a ``dask.bag`` (one bag partition each), computed with one retry per task."""
    import dask.bag as db
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    elif scheduler.startswith(("tcp://", "tls://")):
        client = Client(scheduler)
    else:
        if not Path(scheduler).is_file():
            raise BadInput(f"--scheduler: not 'local', an address tcp://HOST:PORT or a scheduler file: {scheduler}")
        client = Client(scheduler_file=scheduler)
    try:
        bag = db.from_sequence(tasks, npartitions=len(tasks)).map(
            lambda task: run_partition(task[0], task[1], settings, kind)
        )
        futures = client.compute(bag.to_delayed(), retries=1)
        by_future = dict(zip(futures, tasks))
        results = []
        for future in as_completed(futures):
            index, units = by_future[future]
            try:
                results.extend(future.result())
            except Exception as error:  # failed twice (or its workers kept dying): reported, the run goes on
                results.append(_failed(index, units, error))
        return sorted(results, key=lambda r: r.index)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def remove_parts(out: Path) -> None:
    """Delete the checkpoints (after a complete run, when asked to)."""
    shutil.rmtree(out / PARTS, ignore_errors=True)


__all__ = ["BatchResult", "run_batch", "dask_available"]
