"""Options every command takes, and the settings they make.

The same four options are accepted before the command name (on the group) and
after it (on the command); a value given after the name wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import click

from ..countries import DEFAULT_COUNTRY
from ..errors import BadInput

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from ..session import Session


@dataclass(frozen=True)
class Settings:
    """What the common options say for this run (``country``: an ISO code, ``""`` for no focus)."""

    country: str = DEFAULT_COUNTRY
    only: tuple[str, ...] = ()
    gazetteers: tuple[str, ...] = ()
    online: bool = False
    json: bool = False

    _session: Session | None = field(default=None, init=False, repr=False, compare=False)

    def session(self) -> Session:
        """The :class:`~mali_map.session.Session` of this run, made from these options on first use
        and closed when the command ends (with the click context)."""
        if self._session is None:
            from ..session import Session
            from .output import warn

            session = Session(
                country=self.country, only=self.only or None, gazetteers=self.gazetteers, online=self.online, warn=warn
            )
            context = click.get_current_context(silent=True)
            if context is not None:
                context.call_on_close(session.close)
            object.__setattr__(self, "_session", session)
            return session
        return self._session

    def gazetteer(self) -> Gazetteer:
        """The gazetteer for this run: embedded data, saved imports and ``--gazetteer`` files."""
        return self.session().gazetteer


class NegativeNumbersAsArguments(click.Command):
    """A command whose arguments may start with a minus: ``distance -12.6,-8 Gao``.

    No option of mali-map starts with a digit, so ``-12.6,-8`` or ``-3.5`` is a value (a southern
    latitude), not an unknown option. Such words are hidden from click's option parser and given back
    to the parameters after parsing.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        hidden = {f"\x00{number}": arg for number, arg in enumerate(args) if _NEGATIVE_NUMBER.match(arg)}
        masked = {arg: key for key, arg in hidden.items()}
        rest = super().parse_args(ctx, [masked.get(arg, arg) for arg in args])

        def unmask(value: Any) -> Any:
            if isinstance(value, str):
                return hidden.get(value, value)
            if isinstance(value, tuple):
                return tuple(unmask(item) for item in value)
            return value

        ctx.params = {name: unmask(value) for name, value in ctx.params.items()}
        return [unmask(arg) for arg in rest]


_NEGATIVE_NUMBER = re.compile(r"^-[\d.]")


def common_options(command: Callable) -> Callable:
    """Add ``--country``, ``--only``, ``--gazetteer``, ``--online`` and ``--json`` to a command."""
    for decorator in reversed(
        (
            click.option(
                "--country",
                default=None,
                metavar="CC",
                help="ISO 3166-1 alpha-2 focus for disambiguation (default ML); '' for none.",
            ),
            click.option(
                "--only",
                "only",
                multiple=True,
                metavar="CC",
                help="Answer only with places in this country, for the whole run (repeatable).",
            ),
            click.option(
                "--gazetteer",
                "gazetteers",
                multiple=True,
                metavar="PATH",
                help="Add places for this run from a CSV, GeoJSON or GeoNames dump (repeatable).",
            ),
            click.option(
                "--online",
                is_flag=True,
                default=None,
                help="Also ask online geocoders (Nominatim; MALI_MAP_NOMINATIM_URL).",
            ),
            click.option(
                "--json", "json_", is_flag=True, default=None, help="Print one JSON object per line, nothing else."
            ),
        )
    ):
        command = decorator(command)
    return command


def settings_from(ctx: click.Context, options: dict[str, Any]) -> Settings:
    """Merge this command's common options over those given before its name."""
    base = ctx.find_object(Settings) or Settings()
    changes: dict[str, Any] = {}
    if options.pop("country", None) is not None:
        changes["country"] = _focus_option(ctx.params["country"])
    only = options.pop("only", ())
    if only:
        changes["only"] = base.only + tuple(_country_code_option(code) for code in only)
    gazetteers = options.pop("gazetteers", ())
    if gazetteers:
        changes["gazetteers"] = base.gazetteers + tuple(gazetteers)
    online = options.pop("online", None)
    if online:
        changes["online"] = True
    json_ = options.pop("json_", None)
    if json_:
        changes["json"] = True
    settings = replace(base, **changes)
    ctx.obj = settings
    return settings


def _focus_option(value: str) -> str:
    """A ``--country`` value: an ISO code (any case) or ``''`` for no focus; a country's name ("Mali")
    or an unknown code is a usage error naming the code meant, never read silently."""
    from ..countries import focus_country

    try:
        return focus_country(value) or ""
    except BadInput as error:
        raise click.BadParameter(error.message, param_hint="--country") from None


def _country_code_option(value: str) -> str:
    """An ``--only`` value: a known two-letter ISO code, else a usage error (``XX`` would filter out
    every answer and read as "not found", which would be a lie)."""
    from ..countries import country_code

    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise click.BadParameter(f"{value!r} is not a two-letter country code (e.g. ML)", param_hint="--only")
    if country_code(code) != code:
        raise click.BadParameter(f"{value!r} is not a known ISO 3166-1 country code", param_hint="--only")
    return code
