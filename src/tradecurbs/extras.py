"""Optional dependencies: import a library of an extra, or say in one line how to install it."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import TradecurbsError


def requires(module: str, extra: str) -> ModuleType:
    """``module`` imported, or TradecurbsError naming the extra that brings it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise TradecurbsError(f'this needs {module.split(".")[0]}: pip install "tradecurbs[{extra}]"') from None
