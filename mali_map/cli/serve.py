"""``mali-map serve [--host 127.0.0.1] [--port 8000] [--token T]``: the desk page and the JSON API.

Needs the ``serve`` extra (FastAPI, uvicorn), imported only when the command runs. It listens on
127.0.0.1 by default; any other host needs ``--token`` (a bearer token every request must carry),
so a desk's tool is never open to its whole network by mistake.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import click

from ..errors import BadInput
from .options import common_options, settings_from
from .output import EXIT_OK

INSTALL_HINT = "pip install 'mali-map[serve]'"
_TOKEN = re.compile(r"^[A-Za-z0-9._~+/=-]{16,256}$")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--token",
    metavar="T",
    envvar="MALI_MAP_TOKEN",
    help="Bearer token every request must carry (required for any host but 127.0.0.1); also MALI_MAP_TOKEN.",
)
@common_options
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, token: str | None, **options: Any) -> int:
    """Serve the desk page (paste a report, check a claim, map a table) and the JSON API (docs at /docs).

    The common options set the server's focus and places for every request (--country, --only,
    --gazetteer, --online)."""
    settings = settings_from(ctx, options)
    host = host.strip()
    if token is not None and not _TOKEN.match(token):
        raise BadInput("at least 16 characters of letters, digits and ._~+/=-", where="--token")
    if not _is_loopback(host) and token is None:
        raise BadInput(
            f"listening on {host} opens the server to other machines: give --token T (a secret of 16+ characters)",
            where="--host",
        )
    try:
        import uvicorn

        from ..web import create_app
        from ..web.desk import _session
    except ImportError as error:
        raise BadInput(f"the server needs its extra ({error.name} is missing): {INSTALL_HINT}") from None
    desk = _session(settings)  # opened now: a bad --gazetteer fails here (exit 2), not at the first request
    app = create_app(token=token, hosts=(host.strip("[]"),), session=lambda: desk)
    shown = f"[{host}]" if ":" in host else host
    where = f"http://{shown}:{port}/"
    click.echo(f"mali-map: serving the desk on {where} (API docs at {where}docs); Ctrl+C stops it", err=True)
    if token is not None:
        click.echo(
            f"mali-map: open {where}?token=YOUR_TOKEN in a browser; API clients send "
            "'Authorization: Bearer YOUR_TOKEN'",
            err=True,
        )
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    return EXIT_OK


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
