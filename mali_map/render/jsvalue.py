"""The one gate between Python values and the page: JSON for JavaScript, escapes for HTML.

Every value that reaches the page's scripts goes through :func:`to_js`, and every
text that reaches HTML built here goes through :func:`html_text`. Incident notes come
from the public, so both assume hostile input:

>>> to_js({"notes": "</script><script>alert(1)</script>"})
'{"notes":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
>>> html_text('<img src=x onerror=alert(1)>')
'&lt;img src=x onerror=alert(1)&gt;'
"""

from __future__ import annotations

import html
import json
from typing import Any

# Characters that could end a <script> element, open a comment, or break a JS
# string literal (U+2028/2029 are line terminators in older engines).
_JS_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def to_js(value: Any) -> str:
    """``value`` as a compact JSON literal that is safe inside ``<script>``.

    Non-ASCII text stays as UTF-8 (French place names cost one or two bytes, not
    six); NaN and infinities are refused, since JSON has no spelling for them.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JS_UNSAFE.items():  # str.replace is far faster than translate on big blobs
        if char in text:
            text = text.replace(char, escaped)
    return text


def html_text(value: object) -> str:
    """``value`` as HTML text: ``<``, ``>``, ``&`` and both quotes escaped."""
    return html.escape("" if value is None else str(value), quote=True)
