"""The claim table: sentences we wrote, what each should parse to, and the verdict we expect.

Distances in the reasons come from GeoNames' points (the embedded data), measured
on WGS84 independently of mali-map (geographiclib); "edge" is centre distance
minus both places' ``radius_km`` (Bamako 10.4 km, Kati 3.1, Gao 3.1, Mopti 3.5, ...).
Rules (docs/claims.md): supported = holds edge to edge *and* centre to centre;
contradicted = neither, nor anything between; depends = only some readings.
"about N" holds within max(10 % of N, half the rounding of N), at most 25 %.

``verdict`` is ``None`` for rows that only pin the parse.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    sentence: str
    comparator: str | None
    value: float | None
    unit: str | None
    subject: str | None
    anchor: str
    verdict: str | None
    reason: str
    direction: str | None = None
    value_hi: float | None = None
    reading: str | None = None  # for depends: "edge", "centre", "between"
    anchor_kind: str = "place"
    anchor_country: str | None = None
    also: str | None = None


S, C, D, U = "supported", "contradicted", "depends", "unresolved"

ROWS: list[Row] = [
    # --- the case of the issue ------------------------------------------------------------------
    Row("Kati is less than 10 miles from Bamako.", "<", 10, "mi", "Kati", "Bamako", D,
        "centre 18.3 km = 11.4 mi, over 10 mi; edge to edge 4.8 km, under it", reading="edge"),
    Row("Soldiers mutinied in Kati, a garrison town less than 10 miles from the capital.", "<", 10, "mi",
        "Kati", "the capital", D, "'the capital' with focus ML is Bamako: same as above", reading="edge",
        anchor_kind="capital"),
    Row("Kati lies within 20 km of Bamako.", "<=", 20, "km", "Kati", "Bamako", S,
        "18.3 km centre and 4.8 km edge are both at most 20 km"),
    Row("Kati is more than 30 km from the Malian capital.", ">", 30, "km", "Kati", "the Malian capital", C,
        "the Malian capital is Bamako; 18.3 km at most", anchor_kind="capital", anchor_country="Malian"),
    Row("Kati is about 18 km from Bamako.", "~", 18, "km", "Kati", "Bamako", D,
        "18 +/- 1.8 km fits the centres (18.3) but not the edges (4.8)", reading="centre"),
    Row("Kati is 15km from the capital, Bamako.", "~", 15, "km", "Kati", "Bamako", D,
        "15 +/- 2.5 km lies between edge (4.8) and centre (18.3): neither reading, a part-way one",
        reading="between"),
    Row("Kati lies 18 km NW of Bamako.", "~", 18, "km", "Kati", "Bamako", D,
        "distance holds centre to centre only; bearing 325 is inside NW (292.5-337.5)", direction="NW",
        reading="centre"),
    Row("Kati is within a few miles of Bamako.", "<=", 5, "mi", "Kati", "Bamako", D,
        "'a few' is 2-5, so within 5 mi = 8.0 km: edges (4.8) yes, centres (18.3) no", reading="edge"),
    Row("Kati is west of Bamako.", None, None, None, "Kati", "Bamako", D,
        "bearing 325 is 55 deg off west (+/-45), but the towns' extents widen it by 48 deg",
        direction="W", reading="edge"),
    Row("Kati se trouve à dix-huit kilomètres de Bamako.", "~", 18, "km", "Kati", "Bamako", D,
        "French number word: same as 'about 18 km'", reading="centre"),
    # --- Koulikoro, Ségou, Markala -------------------------------------------------------------
    Row("Koulikoro is some 50 km north-east of Bamako.", "~", 50, "km", "Koulikoro", "Bamako", S,
        "50 looks rounded to 50, so 37.5-62.5 km; centre 53.1, edge 40.3; bearing 58 in NE", direction="NE"),
    Row("Koulikoro is within 60,000 metres of Bamako.", "<=", 60000, "m", "Koulikoro", "Bamako", S,
        "60 km with a thousands separator; 53.1 km centre"),
    Row("Ségou lies between 200 and 220 km from Bamako.", "~", 200, "km", "Ségou", "Bamako", D,
        "range 199.5-220.5 km holds the centres (207.6) but not the edges (193.5)", value_hi=220,
        reading="centre"),
    Row("Ségou is 130 miles from Bamako.", "~", 130, "mi", "Ségou", "Bamako", S,
        "130 +/- 13 mi; centre 129.0 mi, edge 120.2 mi"),
    Row("Ségou is 200 nautical miles from Bamako.", "~", 200, "nmi", "Ségou", "Bamako", C,
        "200 nmi +/- 25 % is 278-463 km; actual 207.6 km"),
    Row("Markala se trouve à une trentaine de kilomètres au nord-est de Ségou.", "~", 30, "km", "Markala",
        "Ségou", S, "'une trentaine' = about 30 (25-35 km); centre 33.7, edge 27.8; bearing 37 in NE",
        direction="NE"),
    Row("Markala est situé à une quinzaine de kilomètres de Ségou.", "~", 15, "km", "Markala", "Ségou", C,
        "about 15 = 12.5-17.5 km; even edge to edge it is 27.8 km"),
    Row("San and Ségou are about 150 km apart.", "~", 150, "km", "San", "Ségou", S,
        "150 rounded to 50: 125-175 km; centre 148.5, edge 142.1"),
    # --- Gao, Kidal, Timbuktu, Bourem, Ménaka -------------------------------------------------------
    Row("Gao is roughly 950 km from Bamako.", "~", 950, "km", "Gao", "Bamako", S,
        "855-1045 km; centre 946, edge 933"),
    Row("Gao lies more than 1,200 km from Bamako.", ">", 1200, "km", "Gao", "Bamako", C,
        "946 km at most"),
    Row("Gao is 20 km from Bamako.", "~", 20, "km", "Gao", "Bamako", C, "946 km, not 15-25 km"),
    Row("Kidal lies north-east of Gao.", None, None, None, "Kidal", "Gao", S,
        "bearing from Gao 33 deg, inside NE (22.5-67.5)", direction="NE"),
    Row("Kidal lies south of Gao.", None, None, None, "Kidal", "Gao", C,
        "bearing 33 deg is 147 deg off south; the extents widen by 1 deg", direction="S"),
    Row("Kidal is more than 1,000 km from the capital of Mali.", ">", 1000, "km", "Kidal",
        "the capital of Mali", S, "Bamako-Kidal 1,195 km, edge 1,183 km", anchor_kind="capital",
        anchor_country="Mali"),
    Row("Timbuktu is 320 km west of Gao.", "~", 320, "km", "Timbuktu", "Gao", S,
        "bare number = about: 288-352 km; centre 321.1; bearing 280 inside W (225-315)", direction="W"),
    Row("Tombouctou se trouve à environ 320 km à l'ouest de Gao.", "~", 320, "km", "Tombouctou", "Gao", S,
        "the French name of Timbuktu; same as above", direction="W"),
    Row("Timbuktu is 700 km north-east of Bamako.", "~", 700, "km", "Timbuktu", "Bamako", S,
        "630-770 km; centre 706, edge 693; bearing 49 inside NE", direction="NE"),
    Row("Bourem lies some 80 km north-north-west of Gao.", "~", 80, "km", "Bourem", "Gao", S,
        "72-88 km; centre 82.3, edge 77.1; bearing 337 inside NNW (326-349)", direction="NNW"),
    Row("Ménaka lies 264 kilometres (164 miles) east of Gao.", "~", 264, "km", "Ménaka", "Gao", S,
        "264 +/- 26 km; centre 264.0; bearing 98 inside E; the miles are only noted", direction="E",
        also="164 miles"),
    Row("Ménaka is NE of Gao.", None, None, None, "Ménaka", "Gao", C,
        "bearing 98 deg is 53 deg off NE (+/-22.5, widened by 1)", direction="NE"),
    Row("Ménaka is a few miles from Gao.", "~", 2, "mi", "Ménaka", "Gao", C,
        "'a few' = 2-5 mi; it is 164 mi", value_hi=5),
    # --- Mopti and around -----------------------------------------------------------------------
    Row("Mopti is less than 400 km from Bamako.", "<", 400, "km", "Mopti", "Bamako", C,
        "even edge to edge it is 446 km"),
    Row("Mopti is over 400 km from Bamako.", ">", 400, "km", "Mopti", "Bamako", S, "446-460 km"),
    Row("Mopti est à plus de 400 kilomètres de Bamako.", ">", 400, "km", "Mopti", "Bamako", S,
        "French 'plus de' = more than"),
    Row("Djenné is about 75 km south-west of Mopti.", "~", 75, "km", "Djenné", "Mopti", S,
        "67.5-82.5 km; centre 75.4, edge 69.9; bearing 212 inside SW", direction="SW"),
    Row("Bandiagara is 63.5 km from Mopti.", "~", 63.5, "km", "Bandiagara", "Mopti", S,
        "a decimal: 57.2-69.9 km; centre 63.5, edge 58.2"),
    Row("Bandiagara lies some 60 km to the west of Mopti.", "~", 60, "km", "Bandiagara", "Mopti", C,
        "distance fits but Bandiagara is east (bearing 103): the weaker verdict wins", direction="W"),
    Row("Douentza is a 90-mile drive from Mopti.", "~", 90, "mi", "Douentza", "Mopti", S,
        "81-99 mi = 130-159 km; straight line 144.6 km (a road claim checked as a straight line)"),
    # --- Kayes, Sikasso, Koutiala, Kolokani ---------------------------------------------------
    Row("Kayes is nearly 430 km from Bamako.", "<=", 430, "km", "Kayes", "Bamako", S,
        "'nearly 430' = 387-430 km; centre 427, edge 413"),
    Row("Kayes is almost 500 km from Bamako.", "<=", 500, "km", "Kayes", "Bamako", C,
        "'almost 500' = 450-500 km; it is 427 at most"),
    Row("Sikasso is at least 250 km from Bamako.", ">=", 250, "km", "Sikasso", "Bamako", S, "274-289 km"),
    Row("Koutiala is a dozen miles from Sikasso.", "~", 12, "mi", "Koutiala", "Sikasso", C,
        "a dozen = about 12 (9-15 mi); it is 74.8 mi"),
    Row("Kolokani is twenty miles north of Kati.", "~", 20, "mi", "Kolokani", "Kati", C,
        "15-25 mi; it is 57 mi", direction="N"),
    Row("Kolokani is less than a hundred kilometres north of Kati.", "<", 100, "km", "Kolokani", "Kati", S,
        "91.9 km centre; bearing 3 inside N", direction="N"),
    # --- outside Mali ---------------------------------------------------------------------------
    Row("Ouagadougou, the Burkinabe capital, lies about 700 km east of Bamako.", "~", 700, "km",
        "Ouagadougou", "Bamako", S, "630-770 km; centre 701, edge 682; bearing 92 inside E", direction="E"),
    Row("Ouagadougou is less than 500 km from the Malian capital.", "<", 500, "km", "Ouagadougou",
        "the Malian capital", C, "682 km even edge to edge", anchor_kind="capital", anchor_country="Malian"),
    Row("Niamey, the Nigerien capital, is 380 km south-east of Gao.", "~", 380, "km", "Niamey", "Gao", S,
        "342-418 km; centre 383, edge 373; bearing 142 inside SE", direction="SE"),
    Row("Burkinabe troops in Koudougou, about 100 km west of the capital, mutinied.", "~", 100, "km",
        "Koudougou", "the capital", S,
        "the sentence is about Burkina Faso, so the capital is Ouagadougou: 91.5 km, bearing 262 (W)",
        direction="W", anchor_kind="capital"),
    # --- bad input and unknown places ----------------------------------------------------------
    Row("Katti is 15 km from Bamako.", "~", 15, "km", "Katti", "Bamako", U,
        "a misspelling is not silently corrected; Kati is suggested"),
    Row("Xyzzyville lies 15 km from Bamako.", "~", 15, "km", "Xyzzyville", "Bamako", U, "no such place"),
    Row("Le camp militaire se trouve à moins de 15 km de Kati.", "<", 15, "km", None, "Kati", U,
        "no named subject before the claim"),
    Row("Koulikoro is 50,000 km from Bamako.", "~", 50000, "km", "Koulikoro", "Bamako", U,
        "beyond half the Earth's circumference: flagged, not checked"),
    Row("Kati lies -3 km from Bamako.", "~", -3, "km", "Kati", "Bamako", U,
        "a negative distance: flagged, not checked"),
    # --- parse-only forms ------------------------------------------------------------------------
    Row("The camp is 10 to 15 km from Gao.", "~", 10, "km", None, "Gao", None, "a range written with 'to'",
        value_hi=15),
    Row("Fighting was reported 8-12 miles outside Mopti.", "~", 8, "mi", None, "Mopti", None,
        "a hyphenated range; 'outside' reads as 'from'", value_hi=12),
    Row("Kidal is 1 200 km from the capital.", "~", 1200, "km", "Kidal", "the capital", None,
        "a French thousands space", anchor_kind="capital"),
    Row("The convoy stopped half a mile from Ansongo.", "~", 0.5, "mi", None, "Ansongo", None, "half a mile"),
    Row("Tessalit is some 1,500 kilometers from Mali's capital.", "~", 1500, "km", "Tessalit",
        "Mali's capital", None, "a possessive capital", anchor_kind="capital", anchor_country="Mali"),
    Row("Hombori lies just over 100 km from Douentza.", ">", 100, "km", "Hombori", "Douentza", None,
        "'just over' is a tight 'more than'"),
    Row("Gao is 300 km ESE of Timbuktu.", "~", 300, "km", "Gao", "Timbuktu", None,
        "16-wind abbreviation", direction="ESE"),
    Row("Kidal lies to the north-east of Gao.", None, None, None, "Kidal", "Gao", None,
        "'to the' before a direction", direction="NE"),
    Row("Ansongo se trouve au sud-est de Gao.", None, None, None, "Ansongo", "Gao", None,
        "a French direction-only claim", direction="SE"),
    Row("Gao is 320 km east of Tombouctou and 1,200 km from Bamako.", "~", 1200, "km", "Gao", "Bamako", None,
        "the second claim of a sentence keeps the first one's subject"),
    Row("Diabaly is no more than 5 nautical miles from the river.", None, None, None, None, "", None,
        "lower-case anchor: no place named, so no claim"),
]
