"""Profile of the worst case: ``geocode_many`` on 100,000 distinct names.

The README's target is 200,000 queries/s; distinct names fall short of it. This
script shows where the time goes, two ways, in the same run:

1. **Floors**, each timed alone on the same 100,000 names (median of runs,
   taking turns with each other and with the whole call):
   the name keys (``name_key``), the index fetch (the same SQL the gazetteer
   runs, rows only), the fetch with the rows turned into ``Candidate``s
   (``Gazetteer._exact_many``), and making one ``Place`` per name
   (``to_place`` on each name's first candidate, no ranking). Their sum is
   what any answer built this way costs before a single candidate is ranked:
   if it alone is past 5 µs a name, 200,000/s cannot be met without changing
   how answers are stored.
2. **cProfile** of one ``lookup_many`` call, its own time grouped by stage
   (index fetch, ranking, building places, name keys, the rest) and the
   functions that take most.

Prints a summary and records it for the README::

    .venv/bin/python benchmarks/profile_geocode.py [--names 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from recording import alternating_medians, figure

TARGET_PER_S = 200_000
#: Stage of a profiled function, by (file name ending, function name); first match wins.
STAGES = (
    ("stored answers (records to Places)", ("gazetteer/answers.py", "")),
    # the compiled loop (_packed.c)
    ("stored answers (records to Places)", ("~", "<built-in method mali_map.gazetteer._packed.resolve>")),
    ("index fetch (SQLite rows to Candidates)", ("gazetteer/search.py", "_exact_many")),
    ("index fetch (SQLite rows to Candidates)", ("~", "<method 'execute' of 'sqlite3.Connection' objects>")),
    ("building Places", ("matching.py", "to_place")),
    ("building Places", ("places.py", "")),
    ("ranking (scores, grouping, confidence)", ("matching.py", "")),
    ("name keys", ("textnorm.py", "")),
)


def stage_of(filename: str, function: str) -> str:
    for stage, (file_end, name) in STAGES:
        if filename.endswith(file_end) and (not name or function == name):
            return stage
    return "the rest (batching, memo, built-ins)"


def distinct_names(gazetteer, count: int) -> list[str]:
    every = sorted({name for (name,) in gazetteer._connections[0].execute("SELECT name FROM places")})
    return random.Random(2020).sample(every, min(count, len(every)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args(argv)

    from mali_map.gazetteer import Gazetteer, sql
    from mali_map.gazetteer.matching import to_place
    from mali_map.textnorm import name_key

    def fresh():
        return Gazetteer(include_saved=False)

    names = distinct_names(fresh(), args.names)
    count = len(names)
    keys = list(dict.fromkeys(map(name_key, names)))
    gazetteer = fresh()
    conn = gazetteer._connections[0]

    def fetch_rows(chunk: int = 500) -> int:
        rows = 0
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            rows += len(conn.execute(sql.candidates_by_keys(len(part)), part).fetchall())
        return rows

    found = gazetteer._exact_many(keys)
    firsts = [found[k][0] for k in keys if k in found]
    rows = fetch_rows()
    # Taking turns, so a burst of load from other users of the machine weighs on all parts alike.
    floors = alternating_medians(
        {
            "name keys": lambda: [name_key(n) for n in names],
            "index fetch, rows only": fetch_rows,
            "index fetch to Candidates": lambda: gazetteer._exact_many(keys),
            "one Place per name": lambda: [to_place(c, confidence=1.0) for c in firsts],
            "whole": lambda: fresh().lookup_many(names),
        },
        args.runs,
    )
    whole = floors.pop("whole")
    floor_s = floors["name keys"] + floors["index fetch to Candidates"] + floors["one Place per name"]

    profiler = cProfile.Profile()
    target = fresh()
    profiler.enable()
    target.lookup_many(names)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(entry[2] for entry in stats.values())
    by_stage: dict[str, float] = {}
    for (filename, _, function), entry in stats.items():
        stage = stage_of(filename, function)
        by_stage[stage] = by_stage.get(stage, 0.0) + entry[2]
    top = sorted(stats.items(), key=lambda item: -item[1][2])[: args.top]

    print(
        f"geocode_many on {count:,} distinct names ({rows:,} candidate rows in the index): "
        f"{count / whole:,.0f} queries/s ({whole:.2f} s; target {TARGET_PER_S:,}/s = "
        f"{count / TARGET_PER_S:.2f} s)"
    )
    for label, seconds in floors.items():
        print(f"  floor: {label:<28} {seconds:6.3f} s  ({count / seconds:>12,.0f} names/s)")
    print(
        f"  keys + fetch + Places, no ranking: {floor_s:.3f} s = at most {count / floor_s:,.0f} queries/s "
        f"with answers stored as they are"
    )
    print(f"  cProfile, own time by stage (total {total:.2f} s under the profiler):")
    for stage, seconds in sorted(by_stage.items(), key=lambda item: -item[1]):
        print(f"    {stage:<42} {seconds:6.3f} s  {100 * seconds / total:4.0f} %")
    print("  functions with most own time:")
    functions = []
    for (filename, line, function), entry in top:
        where = f"{Path(filename).parent.name}/{Path(filename).name}:{line}" if filename != "~" else "built-in"
        print(f"    {entry[2]:6.3f} s  {entry[1]:>8,} calls  {function} ({where})")
        functions.append({"function": function, "where": where, "calls": entry[1], "own_s": entry[2]})

    summary = {
        "names": count,
        "candidate_rows": rows,
        "target_per_s": TARGET_PER_S,
        "seconds": whole,
        "per_s": count / whole,
        "floors_s": floors,
        "floor_no_ranking_s": floor_s,
        "ceiling_per_s": count / floor_s,
        "profile_total_s": total,
        "stages_s": dict(sorted(by_stage.items(), key=lambda item: -item[1])),
        "top_functions": functions,
    }
    figure(
        "profile.geocode_distinct",
        f"`geocode_many`, {count:,} distinct names (the worst case), profiled",
        count / whole,
        "queries/s",
        target=f"≥ {TARGET_PER_S:,}/s",
        section="profile",
        note=json.dumps(summary),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
