"""Names a package exports but imports only on first use: the one lazy-import scheme of mali-map.

``import mali_map`` must stay cheap (the command line starts in about 0.2 s), so
a package lists its public names with the module that defines each, and
:func:`lazy_exports` gives it the module ``__getattr__`` and ``__dir__`` of PEP 562::

    __getattr__, __dir__ = lazy_exports(__name__, {"geocode": "mali_map.api"})

The first access imports the module and keeps the value in the package's
namespace, so later accesses cost nothing.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def lazy_exports(
    package: str, exports: dict[str, str], eager: tuple[str, ...] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: ``exports`` maps each name to its module.

    ``eager`` lists names the package defines itself, for ``dir()``.
    """
    names = sorted({*exports, *eager})

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return names

    return __getattr__, __dir__
