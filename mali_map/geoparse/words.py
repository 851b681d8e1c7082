"""The word lists of geoparsing, in one place: cues, titles, generic words, common words.

Every list here is ours, written for English news (with a few French words).
They keep precision high: a gazetteer holds a place called "Of", "Police" or
"Teresina" (alternate name "The"), so a capitalised word is a place only when
it is not a common word, not part of a person's name and not the name of a
newspaper or a firm.
"""

from __future__ import annotations

from ..vocabulary import compass_descriptor_words


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (lists stay readable, one theme a line)."""
    return frozenset(text.split())


#: Words right before a name that say it is a place ("in Kati", "near Gao").
PLACE_CUES = _words("""
in at near nearby from to outside around towards toward into across via through inside between
north south east west northeast northwest southeast southwest of en à a au aux de près vers d' d’
""")

#: Words that may sit inside a multi-word place name ("Rio de Janeiro", "Stoke-on-Trent").
CONNECTORS = _words("of de la le du des el al upon on sur en di da do and et y d' d’ l' l’")

#: Titles and roles before a person's name ("Mr Mali", "Gen. Sanogo", "President Keita").
TITLES = _words("""
mr mrs ms miss dr prof sir lady lord st saint rev father sister brother
president minister premier prime secretary senator sen rep representative governor gov mayor judge justice
general gen colonel col lieutenant lt captain capt major maj sergeant sgt corporal cpl private pvt
commander cmdr admiral adm officer detective det sheriff deputy chief king queen prince princess sheikh imam
pope bishop coach mme mlle m monsieur madame
sens reps senators representatives govs governors gens generals mayors judges
""")

#: Verbs after a name that make it a person ("Keita said").
PERSON_VERBS = _words("""
said says told added asked stated explained wrote argued claimed insisted noted denied admitted recalled
""")

#: Words that, after a place name, make the whole an organisation or a facility located there
#: ("Lexington Police", "Bamako Court"): the place still counts.
FACILITY_WORDS = _words("""
airport station hospital university college school academy court police department council county city
parish district province region state township borough village town municipality prefecture cercle commune
embassy consulate camp base barracks prison jail market bridge road street avenue boulevard highway lane
river lake bay park square stadium church mosque cathedral hall center centre office offices fire
""")

#: Capitalised words that are common words far more often than places, even where a gazetteer
#: lists them. A name in this list is a place only with a cue ("in Sale") and never at the start
#: of a sentence.
COMMON_WORDS = _words("""
a about above across after again against all also although always am among an and another any are around
as at away back be because been before being below between both but by can could did do does done down
during each either else even ever every few for from further get gets got had has have having he her here
hers him his how however i if in into is it its just last least less like many may me might more most much
must my never new next no none nor not now of off on once one only or other our out over own per perhaps
please same she should since so some still such than that the their them then there these they this those
though through thus to too under until up upon us very was we were what when where whether which while who
whom whose why will with within without would yet you your
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
today yesterday tomorrow tonight morning evening night week weekend month year day
police army government court state city county council president officials official soldiers troops
news press post times herald tribune journal gazette daily weekly reuters agency associated
north south east west northern southern eastern western central
northeast northwest southeast southwest
mr mrs ms dr st
people man men woman women child children family friends home house office school church hospital
university college airport station market street road bridge park center centre hall
police fire sheriff department division district region area zone camp base
bar sale mine gold long early late lead march mobile police union hope liberty victoria
independence republic democracy justice unity progress freedom peace faith grace joy
party club team league cup world national international federal general public
first second third last best good great little big old young high low major minor
said says according also however meanwhile overall despite
attack attacks clash protest coup mutiny arrest killing violence war
middle law bank border let four pack line field square lake
""")

#: Compass words of descriptors ("the north", "the north-east of the country").
COMPASS = {word: str(point) for word, point in compass_descriptor_words().items()}

#: Never places, whatever precedes them ("in May", "on Christmas").
NEVER_PLACES = _words("""
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
christmas easter ramadan eid tabaski god jesus allah
""")

#: Words of an organisation's name: a place name before a run holding one still counts
#: ("Charleston Gold Dome Lions Club", "Alexandria City Public Schools").
ORGANISATION_WORDS = _words("""
club council schools association society company bank church authority board commission committee
corporation institute foundation federation union hospital clinic library museum chamber agency service
services center centre department office police fire court schools school university college academy
army movement front forces party ministry government parliament assembly
""")

#: Names that English news uses for institutions of government ("the White House said", "Congress
#: voted") far more often than for the small towns a gazetteer lists under them: such a name is a
#: place only with its region after a comma ("White House, Tenn.").
INSTITUTION_NAMES = frozenset(("white house", "congress", "pentagon", "kremlin", "capitol", "capitol hill"))

#: Words after a country's or state's name that make the whole one of its institutions or offices
#: ("U.S. Attorney", "Nebraska Senate", "Mali Army"): the place still counts.
STATE_BODY_WORDS = _words("""
house senate congress legislature legislators lawmakers attorney attorneys census bureau embassy consulate
ambassador navy marines military troops supreme treasury customs patrol guard officials national
""")

#: Lowercase endings of a hyphenated word that make its capitalised part a place ("Gao-area",
#: "Bamako-based", "Dakar-born"): such words are split so the place is found.
PLACE_SUFFIXES = _words("based area born bred raised bound headquartered registered region wide")

#: Short forms that name a country only when they stand alone: "America" is the United States in
#: English news, but not inside "Latin America" or "South America" (a continent, see :mod:`.continents`;
#: a village in Argentina called América is never what they mean).
ALONE_ONLY = frozenset(("America",))

#: Abbreviations of names in English news: US states in AP style, and a few countries and cities.
ABBREVIATIONS = {
    "U.S.": "United States",
    "U.S.A.": "United States",
    "US": "United States",
    "USA": "United States",
    "America": "United States",  # alone; see ALONE_ONLY
    "U.K.": "United Kingdom",
    "UK": "United Kingdom",
    "UAE": "United Arab Emirates",
    "EU": "European Union",
    "DRC": "DR Congo",
    "D.C.": "District of Columbia",
    "L.A.": "Los Angeles",
    "N.Y.C.": "New York City",
    "Ala.": "Alabama",
    "Ariz.": "Arizona",
    "Ark.": "Arkansas",
    "Calif.": "California",
    "Colo.": "Colorado",
    "Conn.": "Connecticut",
    "Del.": "Delaware",
    "Fla.": "Florida",
    "Ga.": "Georgia",
    "Ill.": "Illinois",
    "Ind.": "Indiana",
    "Kan.": "Kansas",
    "Kans.": "Kansas",
    "Ky.": "Kentucky",
    "La.": "Louisiana",
    "Md.": "Maryland",
    "Mass.": "Massachusetts",
    "Mich.": "Michigan",
    "Minn.": "Minnesota",
    "Miss.": "Mississippi",
    "Mo.": "Missouri",
    "Mont.": "Montana",
    "Neb.": "Nebraska",
    "Nebr.": "Nebraska",
    "Nev.": "Nevada",
    "N.H.": "New Hampshire",
    "N.J.": "New Jersey",
    "N.M.": "New Mexico",
    "N.Y.": "New York",
    "N.C.": "North Carolina",
    "N.D.": "North Dakota",
    "Okla.": "Oklahoma",
    "Ore.": "Oregon",
    "Pa.": "Pennsylvania",
    "R.I.": "Rhode Island",
    "S.C.": "South Carolina",
    "S.D.": "South Dakota",
    "Tenn.": "Tennessee",
    "Tex.": "Texas",
    "Vt.": "Vermont",
    "Va.": "Virginia",
    "Wash.": "Washington",
    "W.Va.": "West Virginia",
    "W. Va.": "West Virginia",
    "Wis.": "Wisconsin",
    "Wyo.": "Wyoming",
}

#: Second-level areas named "X County": the embedded gazetteer has no such areas, so the name
#: is kept whole and placed in its region at best, never at a town that happens to be called X.
COUNTY_WORDS = frozenset(("County", "Parish", "Borough", "Township", "District", "Cercle", "Commune"))

#: Words after a name that make it a first-level region ("the Mopti region", "Gao Region").
REGION_WORDS = frozenset(("region", "province", "state", "governorate", "département", "wilaya"))

#: Words that end a street's name ("Wichita Drive", "Main St."): a place, if one no gazetteer here holds.
STREET_WORDS = _words("street st road rd avenue ave drive dr boulevard blvd lane ln way parkway pkwy pike")
#: Words before a road's number ("Highway 19", "Route 9", "Interstate 29").
ROAD_WORDS = frozenset(("highway", "route", "interstate", "hwy"))
