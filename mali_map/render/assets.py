"""The JavaScript and CSS the page needs, inlined from installed packages or linked.

Each asset is declared once by name (the folium habit), with the CDN address used by
``--cdn`` and the installed package that ships the same file for self-contained pages:

- Leaflet 1.9.3 from ``xstatic-leaflet``, Leaflet.markercluster 1.4.1 from
  ``xstatic-leaflet-markercluster`` (XStatic packages exist to ship web assets as wheels);
- Leaflet.heat from ``folium`` itself (``folium/templates/leaflet_heat.min.js``);
- our own runtime and style sheet from this package (``static/``), always inlined.

Nothing is fetched and nothing third-party is copied into this repository: the files
are read from the installed wheels when a page is built. Images referenced by a style
sheet (Leaflet's layer-control icon) become ``data:`` URIs so no request is left.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..errors import MaliMapError


@dataclass(frozen=True)
class Asset:
    """One script or style sheet: where it is installed and where a CDN serves it."""

    name: str
    kind: str  # "js" or "css"
    package: str  # importable package that ships the file
    path: str  # path of the file inside that package
    cdn_url: str | None = None  # None: always inlined (our own files)
    distribution: str = ""  # the PyPI name to install when the file is missing


_LEAFLET = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
_CLUSTER = "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.4.1/dist/"
_HEAT = "https://cdn.jsdelivr.net/gh/python-visualization/folium@v0.20.0/folium/templates/"

#: Every asset the page can use, in the order they must load.
ASSETS: tuple[Asset, ...] = (
    Asset("leaflet_css", "css", "xstatic.pkg.leaflet", "data/leaflet.css", _LEAFLET + "leaflet.css", "xstatic-leaflet"),
    Asset(
        "markercluster_css",
        "css",
        "xstatic.pkg.leaflet_markercluster",
        "data/MarkerCluster.css",
        _CLUSTER + "MarkerCluster.css",
        "xstatic-leaflet-markercluster",
    ),
    Asset("mali_map_css", "css", "mali_map.render", "static/mali_map.css"),
    Asset("leaflet_js", "js", "xstatic.pkg.leaflet", "data/leaflet.js", _LEAFLET + "leaflet.js", "xstatic-leaflet"),
    Asset(
        "markercluster_js",
        "js",
        "xstatic.pkg.leaflet_markercluster",
        "data/leaflet.markercluster.js",
        _CLUSTER + "leaflet.markercluster.js",
        "xstatic-leaflet-markercluster",
    ),
    Asset("heat_js", "js", "folium", "templates/leaflet_heat.min.js", _HEAT + "leaflet_heat.min.js", "folium"),
    Asset("mali_map_js", "js", "mali_map.render", "static/mali_map.js"),
)

_CSS_URL = re.compile(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)")


def asset_tags(*, cdn: bool = False) -> str:
    """The ``<link>``/``<style>`` and ``<script>`` tags for every asset, in load order."""
    return "\n".join(_tag(asset, cdn=cdn) for asset in ASSETS)


def _tag(asset: Asset, *, cdn: bool) -> str:
    if cdn and asset.cdn_url:
        if asset.kind == "css":
            return f'<link rel="stylesheet" href="{asset.cdn_url}"/>'
        return f'<script src="{asset.cdn_url}"></script>'
    if asset.kind == "css":
        return f"<style>\n{inline_css(asset)}\n</style>"
    return f"<script>\n{inline_js(asset)}\n</script>"


@cache
def inline_js(asset: Asset) -> str:
    """The installed script, checked so it cannot close its own ``<script>`` element."""
    text = _read_text(asset)
    if "</script" in text.lower():
        raise MaliMapError(f"{asset.name}: the installed script contains '</script' and cannot be inlined")
    return text


@cache
def inline_css(asset: Asset) -> str:
    """The installed style sheet with its images as ``data:`` URIs."""
    folder = (
        resources.files(asset.package).joinpath(asset.path.rsplit("/", 1)[0])
        if "/" in asset.path
        else resources.files(asset.package)
    )

    def embed(match: re.Match) -> str:
        image = folder.joinpath(match.group(2))
        if not image.is_file():
            return "none"  # an image the package does not ship: draw nothing rather than ask the network
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    text = _CSS_URL.sub(embed, _read_text(asset))
    if "</style" in text.lower():
        raise MaliMapError(f"{asset.name}: the installed style sheet contains '</style' and cannot be inlined")
    return text


def _read_text(asset: Asset) -> str:
    try:
        return resources.files(asset.package).joinpath(asset.path).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        hint = f"pip install {asset.distribution}" if asset.distribution else "reinstall mali-map"
        raise MaliMapError(
            f"cannot build a self-contained map: {asset.name} ({asset.path}) is not installed ({hint}), "
            "or use --cdn to link the assets instead"
        ) from error
