"""``mali-map distance A B [--unit km|mi|nmi|m]``: geodesic distance and bearing."""

from __future__ import annotations

from typing import Any

import click

from ..api import as_place
from ..geodesy import KM_PER_UNIT, compass16, from_km, inverse
from ..places import Place
from .options import NegativeNumbersAsArguments, common_options, settings_from
from .output import EXIT_OK, emit


@click.command(cls=NegativeNumbersAsArguments)
@click.argument("a")
@click.argument("b")
@click.option(
    "--unit",
    type=click.Choice(sorted(KM_PER_UNIT)),
    default="km",
    show_default=True,
    help="Unit of the distance shown.",
)
@common_options
@click.pass_context
def distance(ctx: click.Context, a: str, b: str, unit: str, **options: Any) -> int:
    """Geodesic distance on WGS84 from A to B, with the initial bearing from A."""
    settings = settings_from(ctx, options)
    gazetteer = settings.gazetteer()
    start, end = (as_place(value, gazetteer=gazetteer) for value in (a, b))
    km, bearing = inverse(start.point, end.point)
    result = distance_dict(start, end, unit)
    others = ", ".join(f"{from_km(km, other):,.2f} {other}" for other in ("km", "mi") if other != unit)
    text = (
        f"{start.name} -> {end.name}: {from_km(km, unit):,.2f} {unit} ({others}), "
        f"bearing {bearing:.0f}° ({compass16(bearing)})"
    )
    emit(result, text, as_json=settings.json)
    return EXIT_OK


def distance_dict(start: Place, end: Place, unit: str) -> dict:
    """The JSON object of ``distance``: both places, the distance in km, mi and ``unit``, the bearing."""
    km, bearing = inverse(start.point, end.point)
    return {
        "from": start.to_dict(),
        "to": end.to_dict(),
        "distance_km": round(km, 3),
        "distance_mi": round(from_km(km, "mi"), 3),
        "distance": round(from_km(km, unit), 3),
        "unit": unit,
        "bearing_deg": round(bearing, 1),
        "compass": compass16(bearing),
    }
