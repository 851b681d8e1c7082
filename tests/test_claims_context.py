"""Claims read with the whole document, and the forms only the document makes readable (our sentences)."""

from __future__ import annotations

import pytest

from mali_map.article import process_article
from mali_map.claims import check_claim


@pytest.fixture(scope="module")
def gazetteer():
    from mali_map.gazetteer import Gazetteer

    return Gazetteer(include_saved=False)


def claims(text, gazetteer, country=None):
    return process_article(text, gazetteer=gazetteer, country=country).claims


def test_the_capital_is_the_capital_of_the_country_the_text_is_about(gazetteer):
    text = "Nigerien soldiers guarded polling stations in Zinder and Maradi. Agadez lies north-east of the capital."
    (result,) = claims(text, gazetteer, country="ML")  # focus Mali, but the text is about Niger
    assert result.anchor.place.name == "Niamey" and result.verdict == "supported"


def test_descriptor_as_subject(gazetteer):
    (result,) = claims("The Burkinabe capital is about 700 km from Bamako by air.", gazetteer)
    assert result.subject.place.name == "Ouagadougou" and result.anchor.place.name == "Bamako"


def test_appositive_between_subject_and_claim(gazetteer):
    (result,) = claims("Tessalit, in the Kidal region, lies some 300 km north of Gao.", gazetteer)
    assert result.subject.place.name == "Tessalit" and result.anchor.place.name == "Gao"


def test_anchor_named_through_a_descriptor(gazetteer):
    text = "Herders fled Ansongo, which is about 90 km south-east of the region's capital Gao."
    (result,) = claims(text, gazetteer)
    assert result.subject.place.name == "Ansongo" and result.anchor.place.name == "Gao"
    assert result.direction == "SE" and result.claim.start == 0
    assert text[result.claim.span[0] : result.claim.span[1]].startswith("about 90 km")


def test_the_town_of_x_in_y_district(gazetteer):
    text = "Gunmen raided the town of Douentza, in Douentza district, some 160 km from Mopti."
    (result,) = claims(text, gazetteer)
    assert result.subject.place.name == "Douentza" and result.anchor.place.name == "Mopti"


def test_countries_are_measured_between_their_outlines():
    result = check_claim("Cyprus is about 110 km from Syria.", country="")
    assert result.verdict == "supported"
    assert 95 < result.range_km[0] < 110 and result.range_km[0] == result.range_km[1]
    assert "Border to border" in result.explanation
    assert check_claim("Mali is more than 50 km from Senegal.", country="").verdict == "contradicted"


def test_the_kati_claim_depends_in_the_report(gazetteer):
    text = "date 2020-08-18\nSoldiers mutinied in Kati. Kati is less than 10 miles from the capital."
    (result,) = claims(text, gazetteer)
    assert result.verdict == "depends" and "edge to edge" in result.explanation
    assert result.anchor.place.name == "Bamako"


def test_a_country_the_sentence_names_constrains_the_document_reading(gazetteer):
    # The report is about Mali, where Gao is a regional capital; this sentence is about Burkina Faso's Gao.
    text = (
        "Troops left Gao and Ansongo for Menaka. In Burkina Faso, the town of Gao lies about 100 km "
        "south-west of Ouagadougou."
    )
    (result,) = claims(text, gazetteer)
    assert result.subject.place.country_code == "BF" and result.anchor.place.name == "Ouagadougou"
