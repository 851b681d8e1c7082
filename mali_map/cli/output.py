"""Printing and failing, the same way in every command.

- :func:`emit` prints one JSON object per line (``--json``) or a text line.
- :func:`run_safely` runs the click group and turns errors into one line on
  stderr with the interface's exit codes: 2 for bad input or usage, 3 for a
  place not found. No traceback reaches the user for an expected failure.
- Everything printed shows control characters as escapes (:mod:`mali_map.terminal`): a name or an
  argument holding ``ESC [`` is printed, never obeyed by the terminal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from typing import Any

import click

from ..errors import MaliMapError, PlaceNotFound
from ..terminal import visible, visible_line

#: what JSON may carry raw but a terminal would obey: DEL, C1 controls, line separators, bidi overrides
_JSON_CONTROL = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\udc80-\udcff]")

EXIT_OK, EXIT_CONTRADICTED, EXIT_BAD_INPUT, EXIT_UNDECIDED = 0, 1, 2, 3


def emit(obj: dict[str, Any], text: str | None = None, *, as_json: bool) -> None:
    """Print ``obj`` as a JSON line when ``as_json``, else ``text``."""
    if as_json:
        click.echo(to_json_line(obj))
    elif text is not None:
        click.echo(visible(text))


def emit_lines(lines: Iterable[str]) -> None:
    """Print many lines at once: one write per batch instead of one per line (fast for 100,000)."""
    batch: list[str] = []
    for line in lines:
        batch.append(visible(line))
        if len(batch) >= 10_000:
            click.echo("\n".join(batch))
            batch.clear()
    if batch:
        click.echo("\n".join(batch))


def to_json_line(obj: dict[str, Any]) -> str:
    """One JSON Lines record: UTF-8 text kept as is (control characters escaped, as JSON allows), NaN refused."""
    line = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    return _JSON_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", line)


def shorten(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, so a 10 MB query is never echoed whole."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counted(count: int, noun: str) -> str:
    """``1 claim``, ``2 claims``: a count with its noun, for summary lines."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def warn(message: str) -> None:
    """One line on stderr, prefixed so it stands out from results."""
    click.echo(f"mali-map: warning: {visible_line(message)}", err=True)


def say(message: str) -> None:
    """One line on stderr without a prefix (a summary), control characters shown as escapes."""
    click.echo(visible(message), err=True)


def exit_code_for(error: BaseException) -> int:
    """The interface's exit code for an error."""
    if isinstance(error, PlaceNotFound):
        return EXIT_UNDECIDED
    return EXIT_BAD_INPUT


def error_line(message: str) -> None:
    """``mali-map: error: MESSAGE`` on stderr, on one line, control characters shown as escapes."""
    click.echo(f"mali-map: error: {visible_line(message)}", err=True)


def run_safely(group: click.Group, argv: list[str]) -> int:
    """Run ``group`` on ``argv`` and return an exit code; errors become one stderr line."""
    try:
        result = group.main(args=argv, prog_name="mali-map", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.Abort:
        click.echo("mali-map: aborted", err=True)
        return EXIT_BAD_INPUT
    except click.UsageError as error:
        where = f" ({error.ctx.command_path})" if error.ctx else ""
        click.echo(f"mali-map: error{where}: {visible_line(error.format_message())}", err=True)
        return EXIT_BAD_INPUT
    except click.ClickException as error:
        error_line(error.format_message())
        return error.exit_code
    except sqlite3.OperationalError as error:  # a full disk, a locked file: not damage
        error_line(str(error))
        return EXIT_BAD_INPUT
    except sqlite3.DatabaseError as error:  # damage the checks at open could not see
        from ..gazetteer.integrity import doubt_all

        doubt_all()
        error_line(f"a place index is damaged ({error}); it is checked again, and rebuilt or skipped, on the next run")
        return EXIT_BAD_INPUT
    except (MaliMapError, OSError, UnicodeDecodeError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        error_line(message)
        return exit_code_for(error)
    except KeyboardInterrupt:
        click.echo("mali-map: interrupted", err=True)
        return 130
    return result if isinstance(result, int) else EXIT_OK


__all__ = [
    "emit",
    "emit_lines",
    "to_json_line",
    "shorten",
    "warn",
    "say",
    "error_line",
    "run_safely",
    "exit_code_for",
    "EXIT_OK",
    "EXIT_CONTRADICTED",
    "EXIT_BAD_INPUT",
    "EXIT_UNDECIDED",
]
