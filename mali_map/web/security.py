"""The guard in front of every request: who may ask, how much they may send, what the browser may run.

:class:`Guard` is a plain ASGI middleware (no framework needed), so it sees every request, the
OpenAPI page and errors included:

- **Who.** Without a token the server answers only requests addressed to the loopback names
  (``Host: 127.0.0.1``, ``localhost``, ``[::1]``), which also defeats DNS rebinding. With a token,
  every request must carry it: ``Authorization: Bearer T``, or the cookie the page gets when it is
  first opened as ``/?token=T`` (a browser cannot add a header to a page load or an iframe).
- **From where.** A browser's POST must come from the server's own page (its ``Origin`` names this host),
  so another site open in the same browser cannot make the desk work.
- **How much.** A request body larger than the cap is refused with 413 before the app reads it.
- **What runs.** Every response gets ``nosniff``, ``no-referrer`` and, unless the route set its own,
  ``Content-Security-Policy: default-src 'none'``: nothing in a JSON answer or a download can run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "mali_map_token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: the policy of every response that does not set its own: nothing loads, nothing runs, nothing frames it
DEFAULT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def page_policy(nonce: str) -> str:
    """The policy of the desk page: its own inlined script and style (by nonce), requests to itself,
    maps in frames from itself, downloads as blobs. No other origin, no inline handlers, no eval."""
    return (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src 'self' data: blob:; "
        "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def map_policy(html: str) -> str:
    """The policy of a map page: exactly the inline scripts it holds (by SHA-256), its inline styles
    (Leaflet and the popups set style attributes), images from itself or ``data:``; framed only by the desk."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode('ascii')}'"
        for body in dict.fromkeys(_SCRIPT.findall(html))
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src 'self' data: blob:; "
        "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    )


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


class Guard:
    """ASGI middleware: token or loopback host, body cap, security headers (see the module's docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None = None,
        max_body_bytes: int = 10 * 1024 * 1024,
        allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS,
    ) -> None:
        self.app = app
        self.token = token
        self.max_body_bytes = max_body_bytes
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        set_cookie = None
        if self.token is None:
            if _host_name(headers.get("host", "")) not in self.allowed_hosts:
                await _refuse(send, 403, "this server answers only requests to 127.0.0.1 or localhost")
                return
        else:
            given = _token_of(scope, headers)
            if given is None or not hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8")):
                await _refuse(
                    send,
                    401,
                    "missing or wrong token: send 'Authorization: Bearer TOKEN'",
                    [(b"www-authenticate", b'Bearer realm="mali-map"')],
                )
                return
            if _query_token(scope) is not None:
                set_cookie = f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/".encode("latin-1")
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and not _same_origin(headers):
            await _refuse(
                send, 403, "a request from another site is refused: use this server's own page or an API client"
            )
            return
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await _refuse(send, 413, f"request too large: at most {self.max_body_bytes // (1024 * 1024)} MB")
            return
        body = bytearray()
        more = scope["method"] in ("POST", "PUT", "PATCH")
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                await _refuse(send, 413, f"request too large: at most {self.max_body_bytes // (1024 * 1024)} MB")
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", DEFAULT_POLICY.encode("ascii")))
                if set_cookie is not None:
                    extra.append((b"set-cookie", set_cookie))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, replay if scope["method"] in ("POST", "PUT", "PATCH") else receive, send_with_headers)


def _headers(scope: Scope) -> dict[str, str]:
    return {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope.get("headers", [])}


def _same_origin(headers: dict[str, str]) -> bool:
    """Whether a browser's request comes from this server's own page: its ``Origin`` (sent by browsers on
    every POST) names the host it is sent to. API clients send no ``Origin`` and pass. This stops another
    site open in the same browser from making the desk work (a form posted to 127.0.0.1)."""
    origin = headers.get("origin")
    if origin is None:
        return True
    return origin.split("://", 1)[-1].rstrip("/").lower() == headers.get("host", "").lower()


def _host_name(host: str) -> str:
    """``127.0.0.1:8000`` -> ``127.0.0.1``; ``[::1]:8000`` -> ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _query_token(scope: Scope) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


def _token_of(scope: Scope, headers: dict[str, str]) -> str | None:
    """The token a request carries: bearer header, then the page's cookie, then ``?token=`` (page loads)."""
    authorization = headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    if "cookie" in headers:
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(headers["cookie"])
        except Exception:  # a malformed cookie header is no token
            return None
        if TOKEN_COOKIE in cookie:
            return cookie[TOKEN_COOKIE].value
    return _query_token(scope)


async def _refuse(send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"error": message, "exit_code": 2}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"content-security-policy", DEFAULT_POLICY.encode("ascii")),
                (b"x-content-type-options", b"nosniff"),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
