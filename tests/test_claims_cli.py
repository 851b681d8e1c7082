"""``mali-map check``: forms, output, and the exit codes a shell script relies on."""

from __future__ import annotations

import json

import pytest

from mali_map.cli import main


def run(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_claim_that_depends(capsys):
    code, out, err = run(capsys, "Kati is less than 10 miles from Bamako")
    assert code == 3
    assert out.startswith("depends: Kati is less than 10 miles from Bamako — Centre to centre 18.3 km")
    assert out.count("\n") == 1 and err == ""


def test_words_given_unquoted_are_one_text(capsys):
    code, out, _ = run(capsys, "Kati", "is", "within", "20", "km", "of", "Bamako")
    assert code == 0 and out.startswith("supported:")


@pytest.mark.parametrize(
    "text, code",
    [
        ("Kidal lies north-east of Gao.", 0),
        ("Kidal lies south of Gao.", 1),
        ("Katti is 15 km from Bamako.", 3),
        ("Gao is 20 km from Bamako.", 1),
    ],
)
def test_exit_codes_follow_the_verdicts(capsys, text, code):
    assert run(capsys, text)[0] == code


def test_json_is_one_object_per_claim(capsys):
    code, out, _ = run(capsys, "--json", "Gao is 320 km east of Timbuktu. Kidal lies north-east of Gao.")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    first = json.loads(lines[0])
    assert (first["verdict"], first["direction"], first["anchor"]["mention"]) == ("supported", "E", "Timbuktu")
    assert json.loads(lines[1])["comparator"] is None


def test_no_claim_is_bad_input_with_one_line(capsys):
    code, out, err = run(capsys, "The weather is fine.")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no distance or direction claim" in err


def test_nothing_to_check_is_bad_input(capsys):
    assert run(capsys)[0] == 2


def test_from_to_form(capsys):
    code, out, _ = run(capsys, "--from", "Kati", "--to", "Bamako", "--less-than", "10 mi", "--json")
    data = json.loads(out)
    assert code == 3
    assert (data["verdict"], data["comparator"], data["value"], data["unit"]) == ("depends", "<", 10.0, "mi")
    assert data["distance_km"] == 18.29


def test_from_to_the_capital(capsys):
    code, out, _ = run(capsys, "--json", "--from", "Koudougou", "--to", "the Burkinabe capital", "--about", "100 km")
    data = json.loads(out)
    assert code == 0 and data["anchor"]["name"] == "Ouagadougou"
    assert data["anchor"]["mention"] == "the Burkinabe capital"


def test_from_to_with_direction(capsys):
    code, out, _ = run(capsys, "--from", "Kati", "--to", "Bamako", "--more-than", "15 km", "--direction", "NW")
    assert code == 3 and "only centre to centre" in out
    code, out, _ = run(capsys, "--from", "Kati", "--to", "Bamako", "--direction", "north-west")
    assert code == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "Kati", "--to", "Bamako", "--less-than", "-10 mi"], "cannot be negative"),
        (["--from", "Kati", "--to", "Bamako", "--about", "30000 km"], "farther than any two places"),
        (["--from", "Kati", "--to", "Bamako", "--less-than", "ten parsecs"], "not a distance"),
        (["--from", "Kati", "--less-than", "10 mi"], "--from and --to go together"),
        (["--from", "Kati", "--to", "Bamako"], "say what is claimed"),
        (["--from", "Kati", "--to", "Bamako", "--less-than", "1 km", "--more-than", "2 km"], "only one"),
        (["--from", "Kati", "--to", "Bamako", "--about", "1 km", "Kati is near"], "not both"),
        (["--from", "Kati", "--to", "Bamako", "--direction", "upwards"], "not a compass direction"),
    ],
)
def test_bad_pair_options(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_unknown_place_in_pair_form_is_unresolved(capsys):
    code, out, _ = run(capsys, "--from", "Xyzzyville", "--to", "Bamako", "--less-than", "10 km")
    assert code == 3 and out.startswith("unresolved:")


def test_file_one_claim_a_line(tmp_path, capsys):
    path = tmp_path / "claims.txt"
    path.write_text(
        "# checked on Monday\nKidal lies north-east of Gao.\n\nMopti is over 400 km from Bamako.\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "--file", str(path), "--json")
    assert code == 0 and err == ""
    assert [json.loads(line)["verdict"] for line in out.splitlines()] == ["supported", "supported"]


def test_file_line_without_claim_is_reported_by_line(tmp_path, capsys):
    path = tmp_path / "claims.txt"
    path.write_text("Kidal lies north-east of Gao.\nA quiet day.\n", encoding="utf-8")
    code, out, err = run(capsys, "--file", str(path))
    assert code == 3  # every claim supported, but a line could not be read
    assert f"{path}:2: no distance or direction claim" in err
    assert out.count("\n") == 1


def test_file_contradiction_wins(tmp_path, capsys):
    path = tmp_path / "claims.txt"
    path.write_text(
        "Kati is less than 10 miles from Bamako.\nKidal lies south of Gao.\nKatti is 2 km from Gao.\n", encoding="utf-8"
    )
    assert run(capsys, "--file", str(path))[0] == 1


def test_file_with_no_claims_at_all_is_bad_input(tmp_path, capsys):
    path = tmp_path / "claims.txt"
    path.write_text("nothing here\n", encoding="utf-8")
    code, _, err = run(capsys, "--file", str(path))
    assert code == 2 and "no distance or direction claim found in any line" in err


@pytest.mark.parametrize(
    "content, message", [(b"", "empty input"), (b"\x00\x01\x02bad", "binary"), (b"\xff\xfe\x00", "not valid UTF-16")]
)
def test_bad_files(tmp_path, capsys, content, message):
    path = tmp_path / "claims.txt"
    path.write_bytes(content)
    code, _, err = run(capsys, "--file", str(path))
    assert code == 2 and message in err


def test_missing_file(tmp_path, capsys):
    code, _, err = run(capsys, "--file", str(tmp_path / "nope.txt"))
    assert code == 2 and "no such file" in err


def test_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Kidal lies north-east of Gao.\n"))
    code, out, _ = run(capsys, "--file", "-")
    assert code == 0 and out.startswith("supported:")


def test_country_option_changes_the_capital(capsys):
    code, out, _ = run(capsys, "--country", "BF", "--json", "Koudougou is about 100 km west of the capital.")
    assert json.loads(out)["anchor"]["name"] == "Ouagadougou" and code == 0


def test_each_quoted_text_is_checked_on_its_own(capsys):
    code = main(["check", "Kidal lies north-east of Gao", "Gao is about 320 km from Kidal", "--json"])
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in results] == ["Kidal lies north-east of Gao", "Gao is about 320 km from Kidal"]
    assert [r["verdict"] for r in results] == ["supported", "contradicted"]
    assert code == 1


def test_an_unquoted_sentence_is_one_text(capsys):
    code = main(["check", "Kidal", "lies", "north-east", "of", "Gao", "--json"])
    (result,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert result["verdict"] == "supported" and code == 0


def test_a_text_without_a_claim_among_others_is_reported_and_keeps_exit_from_0(capsys):
    code = main(["check", "Kidal lies north-east of Gao", "Nothing to see here", "--json"])
    out, err = capsys.readouterr()
    assert [json.loads(line)["verdict"] for line in out.splitlines()] == ["supported"]
    assert "TEXT 2: no distance or direction claim" in err
    assert code == 3


@pytest.mark.parametrize(
    "text, subject, anchor",
    [
        # an appositive region was read as the subject: Gao to Gao, 0 km, "contradicted"
        ("Bourem, in the Gao region, lies about 80 km north of Gao.", "Bourem", "Gao"),
        # a descriptor as the subject was left unplaced: "unresolved"
        ("The Nigerien capital is about 1,100 km from Bamako.", "Niamey", "Bamako"),
    ],
)
def test_check_reads_a_doubtful_sentence_with_the_whole_text(capsys, text, subject, anchor):
    code, out, _ = run(capsys, text, "--json")
    result = json.loads(out)
    assert (result["subject"]["name"], result["anchor"]["name"]) == (subject, anchor)
    assert result["verdict"] == "supported" and code == 0
