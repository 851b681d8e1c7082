"""Benchmark: reading text: claim checking and geoparsing, in characters and claims per second.

The text is report-like paragraphs: four sentences of ordinary reporting (places,
dates, actors, numbers that are not distances) around one distance claim from
the templates of ``bench_claims.py``. Measured in-process, after the gazetteer
is open (start-up is ``bench_geocode.py``'s business):

- ``extract_claims`` on each paragraph (parsing only);
- ``check_claims`` on all paragraphs (parsing, resolving, measuring, verdicts);
- ``mali_map.geoparse.geoparse`` on each paragraph, when this version has it;
  skipped with a note otherwise.

No other tool checks distance claims, so these figures have no peer; the
growth of claim checking with the input size is in ``bench_growth.py``::

    .venv/bin/python benchmarks/bench_text.py [--paragraphs 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from bench_claims import PLACES, claim_sentences
from recording import figure, median_seconds

NO_PEER = "none: no other tool checks distance claims"
REPORTING = [
    "On {d} March, armed men on motorbikes attacked a market in {a}, killing {k} civilians.",
    "Residents of {a} said the army had withdrawn from the area in {y}.",
    "The governor of {a} region announced a curfew after the attack.",
    "Humanitarian groups counted {k}00 displaced people arriving in {b} over the week.",
    "A convoy travelling between {a} and {b} was stopped at a checkpoint on {d} April.",
    "Local officials in {b} said {k} soldiers were wounded and two vehicles were burned.",
    "Le maire de {a} a confirmé que {k} personnes avaient fui vers {b}.",
    "The mission recorded {k} incidents in the region of {b} between January and June {y}.",
]


def paragraphs(count: int, seed: int = 8) -> list[str]:
    """Report-like paragraphs, one distance claim in each (deterministic for a seed)."""
    rng = random.Random(seed)
    claims = claim_sentences(count, seed=seed)
    texts = []
    for claim in claims:
        sentences = [
            rng.choice(REPORTING).format(
                a=rng.choice(PLACES),
                b=rng.choice(PLACES),
                d=rng.randint(1, 28),
                k=rng.randint(2, 40),
                y=rng.randint(2012, 2024),
            )
            for _ in range(4)
        ]
        sentences.insert(rng.randrange(5), claim)
        texts.append(" ".join(sentences))
    return texts


def geoparser():
    """``mali_map.geoparse.geoparse`` when this version has it, else ``None``."""
    try:
        return importlib.import_module("mali_map.geoparse").geoparse
    except (ImportError, AttributeError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    from mali_map.claims import check_claims, extract_claims
    from mali_map.gazetteer import open_gazetteer

    texts = paragraphs(args.paragraphs)
    chars = sum(map(len, texts))
    gazetteer = open_gazetteer(country="ML")
    found = check_claims(texts, gazetteer=gazetteer)
    claims = len(found)

    parse_s = median_seconds(lambda: [extract_claims(t) for t in texts], args.runs)
    check_s = median_seconds(lambda: check_claims(texts, gazetteer=gazetteer), args.runs)
    print(
        f"{len(texts):,} paragraphs, {chars:,} characters, {claims:,} claims: "
        f"extract_claims {chars / parse_s:,.0f} chars/s ({claims / parse_s:,.0f} claims/s); "
        f"check_claims {chars / check_s:,.0f} chars/s ({claims / check_s:,.0f} claims/s); "
        "no peer: no other tool checks distance claims"
    )
    size = f"{len(texts):,} report paragraphs ({chars / 1e6:.1f} M characters, {claims:,} claims)"
    figure(
        "text.extract_chars", f"`extract_claims` (parsing only), {size}", chars / parse_s, "chars/s", no_peer=NO_PEER
    )
    figure(
        "text.check_chars",
        f"`check_claims` (parse, resolve, measure, verdict), {size}",
        chars / check_s,
        "chars/s",
        no_peer=NO_PEER,
    )
    figure(
        "text.check_claims", f"`check_claims`, claims per second, {size}", claims / check_s, "claims/s", no_peer=NO_PEER
    )

    geoparse = geoparser()
    if geoparse is None:
        print("geoparse: not in this version (mali_map.geoparse.geoparse missing): skipped")
        figure(
            "text.geoparse_chars",
            "`geoparse`",
            None,
            "chars/s",
            note="skipped: `mali_map.geoparse` is not in this version",
        )
        return 0
    mentions = sum(len(geoparse(t, country="ML")) for t in texts)
    geoparse_s = median_seconds(lambda: [geoparse(t, country="ML") for t in texts], args.runs)
    print(
        f"geoparse: {chars / geoparse_s:,.0f} chars/s ({mentions / geoparse_s:,.0f} mentions/s, {mentions:,} mentions)"
    )
    figure(
        "text.geoparse_chars",
        f"`geoparse`, {size}, {mentions:,} place mentions",
        chars / geoparse_s,
        "chars/s",
        note=f"{mentions / geoparse_s:,.0f} mentions/s",
        no_peer="none measured",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
