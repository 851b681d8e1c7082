"""``mali-map batch``: same GeoParquet outputs serially and on a real two-process Dask cluster, resume,
faults reported (an article failing twice, a worker killed mid-run, Ctrl-C), tables, and no Dask elsewhere."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mali_map.batch import run_batch
from mali_map.cli import main

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(os.environ.get("MALI_MAP_BENCH_DIR", ROOT.parent / "shared" / "bench"))
OUTPUTS = ("incidents", "claims", "places")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """30 articles of the two bench corpora (15 each) as JSON Lines."""
    if not (BENCH / "lgl.xml").is_file():
        pytest.skip(f"the bench corpora are not at {BENCH}")
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for name in ("lgl", "gwn"):
            for n, article in enumerate(ET.parse(BENCH / f"{name}.xml").getroot().iter("article")):
                if n == 15:
                    break
                out.write(json.dumps({"id": article.get("docid"), "text": article.findtext("text")}) + "\n")
    return path


def tables(folder: Path) -> dict:
    import pyarrow.parquet as pq

    return {name: pq.read_table(folder / f"{name}.parquet") for name in OUTPUTS}


def assert_same_outputs(a: Path, b: Path) -> None:
    first, second = tables(a), tables(b)
    for name in OUTPUTS:
        assert first[name].equals(second[name], check_metadata=True), name
        assert (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes(), name


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    run_batch([str(corpus)], out, scheduler="serial", partitions=1)
    return out


def test_serial_outputs_are_geoparquet_with_their_source(serial, corpus):
    import geopandas

    incidents = geopandas.read_parquet(serial / "incidents.parquet")
    places = geopandas.read_parquet(serial / "places.parquet")
    assert len(places) > 100 and len(incidents) > 0
    assert set(places["input_file"]) == {str(corpus)}
    assert places["input_line"].between(1, 30).all()
    assert (places["end"] > places["start"]).all()
    lines = corpus.read_text(encoding="utf-8").splitlines()
    row = places.iloc[0]
    assert json.loads(lines[row["input_line"] - 1])["text"][row["start"] : row["end"]] == row["text"]
    assert incidents.crs is not None and incidents.crs.to_epsg() == 4326
    dask_geopandas = pytest.importorskip("dask_geopandas")
    lazily = dask_geopandas.read_parquet(serial / "incidents.parquet").compute()
    assert lazily.reset_index(drop=True).equals(incidents) and lazily.crs == incidents.crs
    record = json.loads((serial / "run.json").read_text())
    assert record["counts"]["articles"] == 30 and record["failed_inputs"] == []
    assert set(record["seconds"]) >= {"plan", "process", "merge", "map"}
    assert (serial / "map.html").stat().st_size > 0 and "## Counts" in (serial / "report.md").read_text()


@pytest.mark.slow
def test_one_and_two_dask_workers_give_the_serial_outputs_byte_for_byte(serial, corpus, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    run_batch([str(corpus)], one, scheduler="local", workers=1, partitions=3)
    run_batch([str(corpus)], two, scheduler="local", workers=2, partitions=7)
    assert_same_outputs(serial, one)
    assert_same_outputs(serial, two)
    record = json.loads((two / "run.json").read_text())
    assert record["partitions"] == 7 and len(record["peak_memory_mb_per_worker"]) == 2


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing(serial, corpus, tmp_path):
    from distributed import Client, LocalCluster

    out = tmp_path / "killed"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            pids = list(client.run(os.getpid).values())
            thread = threading.Thread(
                target=run_batch,
                args=([str(corpus)], out),
                kwargs={"scheduler": cluster.scheduler_address, "partitions": 10},
            )
            thread.start()
            deadline = time.monotonic() + 120
            while not list((out / ".parts").glob("part-*.done.json")) and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(pids[0], signal.SIGKILL)  # a worker dies with partitions still to do
            thread.join(timeout=300)
    assert not thread.is_alive()
    assert_same_outputs(serial, out)
    assert json.loads((out / "run.json").read_text())["failed_inputs"] == []


def test_a_rerun_resumes_from_the_checkpoints(serial, corpus, tmp_path):
    out = tmp_path / "resumed"
    run_batch([str(corpus)], out, scheduler="serial", partitions=3)
    (out / ".parts" / "part-00001.done.json").unlink()  # as if the run had stopped before this partition
    (out / "incidents.parquet").unlink()
    lines: list[str] = []
    record = run_batch([str(corpus)], out, scheduler="serial", partitions=3, say=lines.append).record
    assert record["partitions_resumed"] == 2
    assert lines == [f"resuming: 2 of 3 partitions already done in {out}"]
    assert_same_outputs(serial, out)


def test_ctrl_c_leaves_a_resumable_folder(serial, corpus, tmp_path):
    out = tmp_path / "interrupted"
    command = [
        sys.executable,
        "-m",
        "mali_map",
        "batch",
        str(corpus),
        "-o",
        str(out),
        "--scheduler",
        "serial",
        "--partitions",
        "6",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list((out / ".parts").glob("part-*.done.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "run the same command again to resume" in stderr
    assert "Traceback" not in stderr
    assert not (out / "incidents.parquet").exists()
    done = len(list((out / ".parts").glob("part-*.done.json")))
    assert 1 <= done < 6
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert f"resuming: {done} of 6 partitions" in finished.stderr
    assert_same_outputs(serial, out)


def test_an_input_failing_twice_is_listed_and_the_run_goes_on(tmp_path):
    articles = tmp_path / "in.jsonl"
    articles.write_text(
        json.dumps({"text": "Gunmen attacked Kati on 3 May 2021."}) + "\n" + json.dumps({"title": "no text"}) + "\n",
        encoding="utf-8",
    )
    record = run_batch([str(articles)], tmp_path / "out", scheduler="serial").record
    assert record["counts"]["articles"] == 1
    [failure] = record["failed_inputs"]
    assert failure["input"] == f"{articles}:2" and "no text field" in failure["error"]


def test_an_incident_table_is_geocoded_in_partitions(tmp_path):
    import geopandas

    table = tmp_path / "events.csv"
    rows = ["event_date,event_type,location,latitude,longitude,fatalities,notes"]
    for n in range(40):
        if n % 10 == 0:
            rows.append(f"2021-05-{n % 28 + 1:02d},Battles,Kati,,,{n},attack 15 km north of Bamako")
        elif n % 10 == 1:
            rows.append("2021-05-01,Battles,Nowhereville Xq,,,0,")
        else:
            rows.append("2021-06-01,Riots,Gao,16.27,-0.04,1,")
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    serial_out, parts_out = tmp_path / "a", tmp_path / "b"
    record = run_batch([str(table)], serial_out, scheduler="serial").record
    run_batch([str(table)], parts_out, scheduler="serial", partitions=4)
    assert_same_outputs(serial_out, parts_out)
    incidents = geopandas.read_parquet(serial_out / "incidents.parquet")
    assert len(incidents) == 36 and list(incidents["input_row"][:2]) == [1, 3]
    assert record["rejects_by_reason"] == {"place not found": 4}
    places = geopandas.read_parquet(serial_out / "places.parquet")
    assert len(places) == 4 and set(places["input_row"]) == {1, 11, 21, 31}
    claims = geopandas.read_parquet(serial_out / "claims.parquet")
    assert len(claims) == 4 and set(claims["anchor"]) == {"Bamako"}


def test_an_unreadable_gazetteer_is_one_line_and_exit_2(tmp_path, capsys, corpus):
    code = main(["batch", str(corpus), "-o", str(tmp_path / "o"), "--gazetteer", str(tmp_path / "missing.csv")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "every worker opens" in err and "Traceback" not in err


def test_without_dask_batch_runs_serially_and_says_so(serial, corpus, tmp_path):
    out = tmp_path / "nodask"
    blocker = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('dask', 'distributed'): raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from mali_map.cli import main\n"
        f"sys.exit(main(['batch', {str(corpus)!r}, '-o', {str(out)!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", blocker],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == (
        "mali-map: Dask is not installed (pip install 'mali-map[dask]'): running serially, same outputs"
    )
    assert_same_outputs(serial, out)


def test_single_machine_commands_do_not_import_dask():
    code = (
        "import sys\nfrom mali_map.cli import main\nmain(['geocode', 'Kati'])\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'h3', 'pyarrow')], "
        "sorted(sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
