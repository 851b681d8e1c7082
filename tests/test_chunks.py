"""A large CSV read in pieces (mali_map/incidents/chunks.py): plain pieces go through Arrow's CSV reader, and
whatever the file holds, the pieces are the ones the record reader gives (fields, line numbers, broken rows)."""

from __future__ import annotations

import builtins
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from mali_map.errors import BadInput
from mali_map.incidents import chunks

FILES = {
    "plain": "a,b,c\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n13,14,15\n",
    "byte order mark": "\ufeffa,b,c\n1,2,3\n4,5,6\n",
    "no newline at the end": "a,b,c\n1,2,3\n4,5,6",
    "a short row": "a,b,c\n1,2,3\n4,5,6\n7,8\n10,11,12\n13,14,15\n",
    "a wide row": "a,b,c\n1,2,3\n4,5,6\n7,8,9,0\n10,11,12\n",
    "blank lines": "a,b,c\n1,2,3\n\n4,5,6\n,,\n7,8,9\n",
    "a line of fewer delimiters": "a,b,c,d\n1,2,3,4\n,,\n5,6,7,8\n",
    "blank lines first": "\n\na,b,c\n1,2,3\n4,5,6\n",
    "quoted notes": 'a,b,c\n1,2,3\n4,5,6\n7,"x, y",9\n10,"two\nlines",12\n13,14,15\n',
    "values wholly quoted": '"a","b","c"\n1,"x, y",3\n"4","say ""hi""",""\n7,"",9\n',
    "a row of quoted blanks": 'a,b\n1,2\n"",""\n3,4\n',
    "a quote inside a value": 'a,b,c\n1,2,3\n4,5 "in" 6,7\n8,"x"y,9\n10, "z",11\n',
    "a quoted header of blanks": '"",""\na,b\n1,2\n',
    "a stray quote": 'a,b,c\n1,2,3\n4,5,6\n7,"oops,9\n10,11,12\n13,14,15\n16,17,18\n',
    "carriage returns": "a,b,c\r\n1,2,3\r\n4,5,6\r\n",
    "semicolons, spaces, NA": "a;b;c\n1; 2 ;3\nNA;null;N/A\n",
    "tabs": "a\tb\tc\n1\t2\t3\n",
    "one column": "x\n1\n2\n\n3\n",
    "header only": "a,b,c\n",
    "repeated header names": "a,a,\n1,2,3\n",
}


def pieces(path, rows):
    return [(t.rows, t.broken, t.frame.to_dict("split"), [str(d) for d in t.frame.dtypes]) for t in rows_of(path, rows)]


def rows_of(path, rows):
    return list(chunks.iter_csv_tables(path, rows))


def by_records(path, rows):
    """The pieces the record reader alone gives (every line through csv_records), for comparison."""
    with open(path, encoding="utf-8-sig" if "mark" in path.name else "utf-8", newline="") as handle:
        first = handle.readline()
        handle.seek(0)
        tables = chunks._records_pieces(handle, chunks._delimiter(first), None, None, str(path), rows, 1)
        return [(t.rows, t.broken, t.frame.to_dict("split"), [str(d) for d in t.frame.dtypes]) for t in tables]


@pytest.mark.parametrize("name", list(FILES))
@pytest.mark.parametrize("rows", [1, 2, 3, 100])
def test_pieces_are_the_record_readers_whatever_the_file(tmp_path, name, rows):
    path = tmp_path / (name.replace(" ", "_") + ".csv")
    path.write_bytes(FILES[name].encode("utf-8"))
    assert pieces(path, rows) == by_records(path, rows)


def test_plain_pieces_are_read_by_arrow_and_the_rest_record_by_record(tmp_path, monkeypatch):
    path = tmp_path / "late_quote.csv"
    path.write_text(FILES["quoted notes"], encoding="utf-8")
    switched = []
    records_pieces = chunks._records_pieces
    monkeypatch.setattr(
        chunks, "_records_pieces", lambda lines, *args: (switched.append(args[-1]), records_pieces(lines, *args))[1]
    )
    tables = rows_of(path, 2)
    assert switched == [4]  # lines 2-3 were one plain piece; line 4 opens the piece with quotes
    assert [t.rows for t in tables] == [[2, 3], [4, 5], [7]]
    assert tables[1].frame["b"].tolist() == ["x, y", "two\nlines"]


def test_values_wholly_quoted_are_read_by_arrow(tmp_path, monkeypatch):
    path = tmp_path / "quoted.csv"
    path.write_text(FILES["values wholly quoted"], encoding="utf-8")
    monkeypatch.setattr(chunks, "_records_pieces", None)  # never called
    (table,) = rows_of(path, 10)
    assert table.rows == [2, 3, 4] and list(table.frame.columns) == ["a", "b", "c"]
    assert table.frame.values.tolist() == [["1", "x, y", "3"], ["4", 'say "hi"', ""], ["7", "", "9"]]


def test_without_pyarrow_every_piece_is_read_record_by_record(tmp_path, monkeypatch):
    path = tmp_path / "plain.csv"
    path.write_text(FILES["plain"], encoding="utf-8")
    expected = pieces(path, 2)
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    assert pieces(path, 2) == expected


def test_an_empty_file_is_bad_input(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(BadInput, match="empty file"):
        rows_of(path, 10)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(alphabet='ab,"\n ', max_size=60), rows=st.integers(1, 4))
def test_any_text_gives_the_record_readers_pieces(tmp_path, body, rows):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(("h1,h2,h3\n" + body).encode("utf-8"))
    try:
        expected = by_records(path, rows)
    except BadInput as error:
        with pytest.raises(BadInput, match=re.escape(str(error.message))):
            pieces(path, rows)
        return
    assert pieces(path, rows) == expected
