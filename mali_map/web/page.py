"""The two HTML pages of the server: the desk (a static page with its script and style inlined under a
nonce) and the API's documentation (built from the OpenAPI schema, every value escaped).

Both work with no network: nothing is fetched from a CDN, so the Content-Security-Policy can forbid
every other origin.
"""

from __future__ import annotations

import functools
import html
import json
from importlib import resources
from typing import Any


@functools.cache
def _static(name: str) -> str:
    return resources.files("mali_map.web").joinpath("static", name).read_text(encoding="utf-8")


def desk_page(nonce: str) -> str:
    """The desk page with ``nonce`` on its one ``<style>`` and one ``<script>``."""
    return (
        _static("desk.html")
        .replace("{{NONCE}}", nonce)
        .replace("{{STYLE}}", _static("desk.css"))
        .replace("{{SCRIPT}}", _static("desk.js"))
    )


def docs_page(schema: dict[str, Any], nonce: str) -> str:
    """A readable page of the OpenAPI ``schema``: each route, what it takes, an example, and the schema itself."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{e(schema['info']['title'])} API</title>",
        f"<style nonce='{e(nonce)}'>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;"
        "padding:1rem;color:#1a1a1a}code,pre{background:#f2f2f2;border-radius:4px}pre{padding:.75rem;"
        "overflow:auto}h2{border-top:1px solid #767676;padding-top:1rem}a{color:#0645ad}</style></head><body>",
        f"<h1>{e(schema['info']['title'])} JSON API</h1>",
        f"<p>{e(schema['info'].get('summary', ''))}</p><p>{e(schema['info'].get('description', ''))}</p>",
        "<p>The machine-readable schema: <a href='/openapi.json'>/openapi.json</a> (OpenAPI "
        f"{e(schema.get('openapi', ''))}). Back to <a href='/'>the desk</a>.</p>",
    ]
    components = schema.get("components", {}).get("schemas", {})
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parts.append(f"<h2><code>{e(method.upper())} {e(path)}</code></h2>")
            parts.append(f"<p>{e(operation.get('summary', ''))}</p>")
            body = operation.get("requestBody", {}).get("content", {})
            for media, content in body.items():
                ref = content.get("schema", {}).get("$ref", "")
                shown = components.get(ref.rsplit("/", 1)[-1], content.get("schema", {}))
                parts.append(f"<p>Body: <code>{e(media)}</code></p>")
                if shown.get("description"):
                    parts.append(f"<p>{e(shown['description'])}</p>")
                parts.append(f"<pre>{e(json.dumps(shown, indent=1, ensure_ascii=False))}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts)
