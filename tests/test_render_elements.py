"""The map's elements through public means only: stable ids, layers counted by type, classes users compose."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from mali_map import check_claims
from mali_map.render import ClaimsLayer, Legend, build_map, incident_layer_count, map_html
from mali_map.render.claims_layer import claim_records
from mali_map.render.controls import HtmlControl
from mali_map.render.legend import legend_html
from tests.render_fixtures import claims, small_incidents


def test_no_private_attribute_of_folium_or_branca_is_assigned():
    """No ``x._id = ...``, ``x._children[...] = ...`` or ``self._name = ...`` anywhere in the package."""
    package = Path(__file__).parents[1] / "mali_map"
    private = {"_id", "_children", "_name", "_parent", "_template", "_template_str", "_template_name"}
    found = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            targets += [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
            for target in targets:
                while isinstance(target, ast.Subscript):
                    target = target.value
                if isinstance(target, ast.Attribute) and target.attr in private:
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_element_ids_are_numbered_in_the_page_and_the_page_is_the_same_twice():
    m = build_map(small_incidents(), claims=claims())
    first = map_html(m)
    assert map_html(m) == first == map_html(build_map(small_incidents(), claims=claims()))
    assert re.search(r"\bmap_0001\b", first) and not re.search(r"_[0-9a-f]{32}\b", first)


def test_an_id_lookalike_in_the_data_is_left_as_written():
    frame = small_incidents()
    lookalike = "evt_" + "ab" * 16
    frame["notes"] = lookalike
    assert lookalike in map_html(build_map(frame))


def test_layers_are_counted_by_type_and_users_can_compose_the_elements():
    m = build_map(small_incidents())
    layers = incident_layer_count(m)
    controls = map_html(m).count("MaliMap.htmlControl(")
    assert layers >= 2

    class Impostor(HtmlControl):
        kind = "incidents"  # a name is not a type

    m.add_child(Impostor("<b>not a layer</b>"))
    assert incident_layer_count(m) == layers
    results = check_claims(["Kati is less than 10 miles from Bamako."])[0].claims
    m.add_child(ClaimsLayer(claim_records(results)))
    m.add_child(Legend(legend_html([], heading="Mine", verdicts=["depends"])))
    html = map_html(m)
    assert html.count("MaliMap.claimsLayer(") == 1 and html.count("MaliMap.htmlControl(") == controls + 2
    assert "not a layer" in html and html.count("MaliMap.incidentLayer(") == layers
