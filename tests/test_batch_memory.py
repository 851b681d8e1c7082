"""A worker's reported peak memory is its own, not the peak of the process that started it."""

from __future__ import annotations

import multiprocessing
import sys

import pytest

from mali_map.batch.work import peak_memory_mb

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the inherited peak is Linux's")


def _report(queue: multiprocessing.Queue) -> None:
    queue.put(peak_memory_mb())


def test_a_worker_started_by_a_large_process_reports_its_own_peak() -> None:
    ballast = bytearray(400 * 1024 * 1024)
    ballast[::4096] = b"\x01" * len(range(0, len(ballast), 4096))  # touch every page: resident
    assert peak_memory_mb() > 400
    context = multiprocessing.get_context("spawn")  # how Dask's nannies start workers
    queue = context.Queue()
    child = context.Process(target=_report, args=(queue,))
    child.start()
    child_peak = queue.get(timeout=60)
    child.join(timeout=60)
    del ballast
    assert 0 < child_peak < 200
