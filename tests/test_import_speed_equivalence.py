"""The fast import writes exactly the index the plain one wrote.

- the fixture dump ``ML_sample.txt`` imports to the rows recorded in
  ``tests/fixtures/ML_sample_index.json`` (written by the row-by-row importer before it was
  made fast: every column of ``places``, every ``names`` row in order);
- a few thousand generated places, with accented, repeated and code-like
  names, give the rows of a plain reference writer kept here;
- the GeoNames reader yields the same records and row errors whatever the
  size of the blocks it decodes.
"""

from __future__ import annotations

import json
import math
import random
import sqlite3
from pathlib import Path

import pytest

from mali_map.gazetteer import index
from mali_map.gazetteer.formats import geonames_reader, read_places
from mali_map.gazetteer.userstore import import_gazetteer, load_temporary
from mali_map.textnorm import name_key

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteers"


def canonical_dump(conn: sqlite3.Connection) -> dict[str, list[list]]:
    """Both tables as JSON-ready lists, in row order, and the names of the indexes."""
    return {
        "places": [list(row) for row in conn.execute("SELECT * FROM places ORDER BY id")],
        "names": [list(row) for row in conn.execute("SELECT key, place_id, kind FROM names ORDER BY rowid")],
        "indexes": [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ],
    }


def test_fixture_dump_imports_to_the_recorded_rows():
    expected = json.loads((FIXTURES.parent / "ML_sample_index.json").read_text(encoding="utf-8"))
    report = import_gazetteer(FIXTURES / "ML_sample.txt")  # named ml_sample, as load_temporary names it
    conn = sqlite3.connect(report.path)
    try:
        assert canonical_dump(conn) == expected
        assert json.loads(json.dumps(canonical_dump(load_temporary(FIXTURES / "ML_sample.txt", [])))) == expected
    finally:
        conn.close()
    assert len(report.skipped) == 5


# --------------------------------------------------------------------------- a plain reference writer


def reference_prominence(feature: str, population: int | None) -> float:
    if not population and feature not in ("country", "admin1"):
        population = 1000
    return math.log10((population or 0) + 10) + {"country": 3.0, "capital": 2.0, "admin1": 1.5}.get(feature, 0.0)


def reference_rows(records, source: str) -> dict[str, list[list]]:
    """What write_records must write, one record at a time, the obvious way."""
    places, names = [], []
    for place_id, record in enumerate(records, 1):
        places.append(
            [
                place_id,
                record.name,
                record.lat,
                record.lon,
                record.country_code,
                record.admin1,
                record.feature,
                record.population,
                record.area_km2,
                record.geonameid,
                source,
                reference_prominence(record.feature, record.population),
            ]
        )
        seen = set()
        main = name_key(record.name)
        if main:
            seen.add(main)
            names.append([main, place_id, index.NAME_MAIN])
        for alt in record.alternatenames:
            key = name_key(alt)
            if key and key not in seen:
                seen.add(key)
                code = len(alt) <= 4 and alt.isupper() and alt.isalpha()
                names.append([key, place_id, index.NAME_CODE if code else index.NAME_ALTERNATE])
    return {"places": places, "names": names, "indexes": ["names_key"]}


_WORDS = (
    "Ségou",
    "Kati",
    "Niéna",
    "Kôrô",
    "Bamako",
    "Dioïla",
    "Tombouctou",
    "Gao",
    "Mopti",
    "Kayes",
    "Sikasso",
    "Ménaka",
    "Kidal",
    "تمبكتو",
    "Москва",
    "北京",
    "BKO",
    "GAO",
    "Bko",
    "ML",
    "Œuvre",
    "Straße",
    "Ville",
    "Nord",
)


def generated_dump(path: Path, rows: int, seed: int = 11) -> None:
    """GeoNames lines with homonyms, repeated alternate names, codes, populations and odd punctuation."""
    rng = random.Random(seed)
    lines = []
    for n in range(rows):
        name = rng.choice(("-", " ", "", "'")).join(rng.choice(_WORDS) for _ in range(rng.randint(1, 3)))
        alternates = ",".join(
            rng.choice(_WORDS) + rng.choice(("", "", " Coura", "-Sud", ".")) for _ in range(rng.choice((0, 1, 2, 4)))
        )
        code = rng.choice(("PPL", "PPL", "PPLA2", "PPLC", "PPLX", "ADM1", "PCLI", "STM"))
        population = rng.choice(("0", "", str(rng.randint(1, 5_000_000))))
        lines.append(
            "\t".join(
                (
                    str(3_000_000 + n),
                    name,
                    name.encode("ascii", "replace").decode(),
                    alternates,
                    f"{rng.uniform(10, 25):.5f}",
                    f"{rng.uniform(-12, 4):.5f}",
                    "P",
                    code,
                    rng.choice(("ML", "ML", "")),
                    "",
                    rng.choice(("", "01", "07", "99")),
                    "",
                    "",
                    "",
                    population,
                    "",
                    "300",
                    "Africa/Bamako",
                    "2024-01-01",
                )
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_generated_places_match_the_reference_writer(tmp_path):
    dump = tmp_path / "generated.txt"
    generated_dump(dump, 3000)
    records = list(read_places(dump, errors=[]))
    conn = index.connect(":memory:")
    assert index.write_records(conn, iter(records), "user:generated", batch=700) == 3000
    assert canonical_dump(conn) == reference_rows(records, "user:generated")


def test_records_are_appended_after_existing_places(tmp_path):
    dump = tmp_path / "generated.txt"
    generated_dump(dump, 500)
    records = list(read_places(dump, errors=[]))
    conn = index.connect(":memory:")
    index.write_records(conn, records[:200], "user:generated")
    index.write_records(conn, records[200:], "user:generated", batch=64)
    assert canonical_dump(conn) == reference_rows(records, "user:generated")


# --------------------------------------------------------------------------- the GeoNames reader's blocks


def awkward_dump(path: Path) -> None:
    """Windows and Unix line ends, bad bytes, comments, blank and short lines, no line end at the end."""
    good = [
        line.encode("utf-8")
        for line in (FIXTURES / "ML_sample.txt").read_text(encoding="utf-8", errors="replace").splitlines()
        if line.count("\t") == 18 and "\ufffd" not in line
    ]
    lines = []
    for n, line in enumerate(good * 40):
        lines.append(line + (b"\r\n" if n % 3 == 0 else b"\n"))
        if n % 17 == 0:
            lines.append(b"# a comment\n" if n % 2 else b"  \r\n")
        if n % 23 == 0:
            lines.append(line.replace(b"\t", b"\xe9\t", 1) + b"\n")  # Latin-1 byte: not UTF-8
        if n % 29 == 0:
            lines.append(b"9100099\tShort\n")
    path.write_bytes(b"".join(lines) + good[0].replace(b"\t", b"\t\xc3", 1))  # ends inside a character


@pytest.mark.parametrize("block_bytes", [1, 7, 300, 4096])
def test_geonames_reader_gives_the_same_rows_whatever_its_block_size(tmp_path, monkeypatch, block_bytes):
    dump = tmp_path / "awkward.txt"
    awkward_dump(dump)
    whole_errors: list = []
    whole = list(read_places(dump, errors=whole_errors))
    monkeypatch.setattr(geonames_reader, "_BLOCK_BYTES", block_bytes)
    errors: list = []
    assert list(read_places(dump, errors=errors)) == whole
    assert errors == whole_errors
    assert len(whole) > 300 and not any(
        "\r" in record.name or "\r" in "".join(record.alternatenames) for record in whole
    )
    lines = dump.read_bytes().split(b"\n")
    for error in errors:  # every error names the line that holds the bad row
        line = lines[int(error.where.rsplit(":", 1)[1]) - 1]
        if error.message.startswith("expected 19"):
            assert b"Short" in line
        elif error.message.startswith("not UTF-8"):
            assert not _is_utf8(line)
        else:
            assert _is_utf8(line) and line.count(b"\t") == 18
    assert sum(error.message.startswith("not UTF-8") for error in errors) == sum(not _is_utf8(line) for line in lines)
    assert errors[-1].where.endswith(f":{len(lines)}")  # the last line, which has no line end


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
