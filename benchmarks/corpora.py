"""The two public news corpora with gold toponyms, read in place from ``../shared/bench/``.

- LGL (``lgl.xml``, Lieberman et al. 2010): 588 US local news articles; every gold
  toponym is a place (adjectival forms such as "Sudanese" included), with a
  GeoNames point.
- GeoWebNews (``gwn.xml``, Gritta et al. 2019): 200 news articles from many
  countries, each annotation typed. :data:`GWN_TOPONYM_TYPES` are the types that
  count as toponyms here: literal uses, metonymic ones ("Washington said") and
  demonyms; ``Homonym`` (a place name used for something else), ``Language``,
  ``Non_Toponym`` and the ``*_Expression`` spans (the phrase around a toponym)
  do not. Toponyms without coordinates take part in recognition only.

Nothing of either corpus is copied into the project. An article is
``(text, [(start, end, lat, lon, type), ...])``; a missing point is NaN.
Even-numbered articles (0, 2, ...) are the tuning half, odd-numbered ones the
held-out half.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent.parent / "shared" / "bench"
FALLBACK_BENCH = Path("/work/shared/bench")

GWN_TOPONYM_TYPES = frozenset(
    (
        "Literal",
        "Literal_Modifier",
        "Embedded_Literal",
        "Mixed",
        "Coercion",
        "Metonymic",
        "Non_Literal_Modifier",
        "Embedded_Non_Lit",
        "Demonym",
    )
)

Gold = tuple[int, int, float, float, str]
Article = tuple[str, list[Gold]]


def corpus_path(name: str) -> Path:
    """Where ``name`` (``"lgl.xml"``, ``"gwn.xml"``) lies: ``../shared/bench`` of the repository, else /work/shared."""
    path = BENCH / name
    return path if path.is_file() else FALLBACK_BENCH / name


def _number(value: str | None) -> float:
    try:
        return float(value) if value is not None else float("nan")
    except ValueError:
        return float("nan")


def read_lgl(path: Path) -> list[Article]:
    """Every LGL article with its gold toponyms (type ``"Literal"``: LGL does not type them)."""
    articles = []
    for article in ET.parse(path).getroot().iter("article"):
        gold = [
            (
                int(t.findtext("start") or 0),
                int(t.findtext("end") or 0),
                _number(t.findtext("gaztag/lat")),
                _number(t.findtext("gaztag/lon")),
                "Literal",
            )
            for t in article.iter("toponym")
        ]
        articles.append((article.findtext("text") or "", gold))
    return articles


def read_gwn(path: Path) -> list[Article]:
    """Every GeoWebNews article with the annotations of :data:`GWN_TOPONYM_TYPES` as gold toponyms."""
    articles = []
    for article in ET.parse(path).getroot().iter("article"):
        gold = [
            (
                int(t.findtext("start") or 0),
                int(t.findtext("end") or 0),
                _number(t.findtext("latitude")),
                _number(t.findtext("longitude")),
                t.findtext("type") or "",
            )
            for t in article.iter("toponym")
            if t.findtext("type") in GWN_TOPONYM_TYPES
        ]
        articles.append((article.findtext("text") or "", gold))
    return articles


def read_corpora() -> dict[str, list[Article]]:
    """``{"LGL": [...], "GWN": [...]}`` for the corpora present (none when ``../shared/bench`` is absent)."""
    found = {}
    for label, name, reader in (("LGL", "lgl.xml", read_lgl), ("GWN", "gwn.xml", read_gwn)):
        path = corpus_path(name)
        if path.is_file():
            found[label] = reader(path)
    return found
