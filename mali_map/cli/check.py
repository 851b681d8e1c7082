"""``mali-map check``: verdicts on distance and direction claims.

Forms::

    mali-map check "Kati is less than 10 miles from Bamako"
    mali-map check --file claims.txt            # one claim a line ('-' for stdin)
    mali-map check --from Kati --to Bamako --less-than "10 mi" [--direction NW]

Exit codes: 0 every claim supported; 1 any contradicted; 3 any that depends or
is unresolved (none contradicted); 2 bad input (no claim in the text, a bad
amount, an impossible distance). So ``mali-map check "..." && publish`` works.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import click

from ..errors import BadInput, NoClaimFound
from .inputs import numbered_lines
from .options import common_options, settings_from
from .output import emit, warn

if TYPE_CHECKING:
    from ..claims import Claim, ClaimChecker, ClaimResult


@click.command()
@click.argument("text", nargs=-1)
@click.option("--file", "file", metavar="F", help="Read one claim a line ('-' for stdin).")
@click.option("--from", "subject", metavar="A", help="The place the claim is about.")
@click.option("--to", "anchor", metavar="B", help="The place the distance is measured from.")
@click.option("--less-than", "less_than", metavar="AMOUNT", help="Claim: less than AMOUNT ('10 mi', '15 km').")
@click.option("--more-than", "more_than", metavar="AMOUNT", help="Claim: more than AMOUNT.")
@click.option("--about", "about", metavar="AMOUNT", help="Claim: about AMOUNT (tolerance in the README).")
@click.option("--direction", metavar="DIR", help="Claim: A lies DIR of B (N, NE, north-east, NNW, ...).")
@common_options
@click.pass_context
def check(
    ctx: click.Context,
    text: tuple[str, ...],
    file: str | None,
    subject: str | None,
    anchor: str | None,
    less_than: str | None,
    more_than: str | None,
    about: str | None,
    direction: str | None,
    **options: Any,
) -> int:
    """Check distance claims: is 'Kati less than 10 miles from Bamako'? Says supported,
    contradicted, depends (and on which reading) or unresolved, with the distance and its range."""
    settings = settings_from(ctx, options)
    checker = settings.session().checker
    pair_form = any(v is not None for v in (subject, anchor, less_than, more_than, about, direction))
    if pair_form:
        if text or file:
            raise BadInput("give either TEXT/--file or --from/--to, not both")
        results = [checker.check(pair_claim(subject, anchor, less_than, more_than, about, direction))]
        unread = 0
    elif file:
        if text:
            raise BadInput("give either TEXT or --file, not both")
        results, unread = _check_lines(checker, file)
    elif text:
        results, unread = _check_texts(checker, _texts(text))
    else:
        raise BadInput("give a claim to check: TEXT, --file F, or --from A --to B --less-than '10 mi'")
    for result in results:
        emit(
            result.to_dict(),
            f"{result.verdict}: {_one_line(result.text)} — {result.explanation}",
            as_json=settings.json,
        )
    return exit_code(results, unread)


def exit_code(results: Iterable[ClaimResult], unread: int = 0) -> int:
    """1 if any claim is contradicted; else 0 if every claim is supported (and every line read); else 3."""
    from ..vocabulary import Verdict

    return Verdict.exit_code_of((r.verdict for r in results), unread=unread)


def pair_claim(
    subject: str | None,
    anchor: str | None,
    less_than: str | None,
    more_than: str | None,
    about: str | None,
    direction: str | None,
) -> Claim:
    """The :class:`~mali_map.claims.Claim` the ``--from/--to`` options describe; :class:`BadInput` if they don't."""
    from ..claims.stated import stated_claim

    if not subject or not anchor:
        raise BadInput("--from and --to go together: --from A --to B --less-than '10 mi'")
    given = [
        (sign, option, amount)
        for sign, option, amount in (
            ("<", "--less-than", less_than),
            (">", "--more-than", more_than),
            ("~", "--about", about),
        )
        if amount
    ]
    if len(given) > 1:
        raise BadInput("give only one of --less-than, --more-than, --about")
    if not given and not direction:
        raise BadInput("say what is claimed: --less-than, --more-than, --about AMOUNT and/or --direction DIR")
    comparator, option, amount = given[0] if given else (None, "--direction", None)
    try:
        return stated_claim(subject, anchor, comparator, amount, direction)
    except BadInput as error:
        raise BadInput(error.message, where=option) from None


def _check_lines(checker: ClaimChecker, path: str) -> tuple[list[ClaimResult], int]:
    """Check every line of a file; a line with no claim is reported (file:line) and counted."""
    return _check_texts(
        checker,
        [(f"{_where(path)}:{number}", line) for number, line in numbered_lines(path)],
        nothing=f"{_where(path)}: no distance or direction claim found in any line",
    )


def _texts(arguments: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(label, text)`` of the TEXT arguments: each argument is one text, except a
    sentence typed without quotes (every argument a single word), which is one."""
    if len(arguments) > 1 and all(len(argument.split()) <= 1 for argument in arguments):
        return [("TEXT", " ".join(arguments))]
    return [(f"TEXT {number}" if len(arguments) > 1 else "TEXT", text) for number, text in enumerate(arguments, 1)]


def _check_texts(
    checker: ClaimChecker, labelled: list[tuple[str, str]], nothing: str | None = None
) -> tuple[list[ClaimResult], int]:
    """Check every text; one with no claim is reported by its label and counted as unread."""
    entries = checker.check_texts([text for _, text in labelled])
    unread = sum(not entry.ok for entry in entries)
    if unread == len(entries):
        if nothing is None and len(labelled) == 1:
            nothing = f"no distance or direction claim found in {_one_line(labelled[0][1])!r}"
        raise NoClaimFound(nothing or "no distance or direction claim found in any TEXT")
    for (label, text), entry in zip(labelled, entries):
        if not entry.ok and len(labelled) > 1:
            warn(f"{label}: no distance or direction claim found in {_one_line(text)!r}")
    return [result for entry in entries for result in entry.claims], unread


def _where(path: str) -> str:
    return "stdin" if path == "-" else path


def _one_line(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
