"""Build hook (hatchling): compile the stored answers' batch loop, ``mali_map/gazetteer/_packed.c``.

The loop is optional. Where no C compiler or no Python headers are at hand, the install says so in
one line and goes on: the package then runs the same loop in Python
(``mali_map.gazetteer.answers.COMPILED`` is ``None``), with the same answers, about half as fast
on a batch of distinct names.

The module is built in place, beside its source, so that an editable install (``pip install -e``,
which ``make test`` and ``make demo`` use) finds it there; a wheel also carries it, tagged for the
interpreter and platform it was built on.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULE = "mali_map.gazetteer._packed"
SOURCE = "mali_map/gazetteer/_packed.c"


class CompileTheBatchLoop(BuildHookInterface):  # type: ignore[misc]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        built = compile_in_place(Path(self.root))
        if built is None:
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            build_data["force_include"][str(built)] = built.relative_to(self.root).as_posix()


def compile_in_place(root: Path) -> Path | None:
    """The compiled module's path under ``root``, or ``None`` (said on stderr) when it cannot be built."""
    try:
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext
    except ImportError as error:
        return _not_built(f"setuptools is missing ({error})")
    distribution = Distribution({"name": "mali-map", "ext_modules": [Extension(MODULE, [SOURCE])]})
    command = build_ext(distribution)
    command.inplace = True
    command.build_temp = str(Path("build") / "temp-packed")
    here = os.getcwd()
    os.chdir(root)
    try:
        command.ensure_finalized()
        built = root / command.get_ext_filename(MODULE)
        built.unlink(missing_ok=True)  # a build that fails leaves no module of an older source behind
        command.run()
    except Exception as error:  # no compiler, no headers, a compile error: the Python loop answers instead
        return _not_built(f"{type(error).__name__}: {error}")
    finally:
        os.chdir(here)
    return built


def _not_built(reason: str) -> None:
    print(f"mali-map: the compiled batch loop was not built ({reason}); the Python loop is used", file=sys.stderr)
    return None
