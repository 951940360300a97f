"""Settings read from the environment, with their defaults; a bad value is a one-line error."""

from __future__ import annotations

import math
import os
from pathlib import Path

from .errors import SettingError

#: Where the project publishes its release site (index.json + tradecurbs-data-X.Y.Z/).
DEFAULT_RELEASES_URL = "https://tradecurbs.github.io/tradecurbs/releases"


def releases_url() -> str:
    """Base URL of the release site: ``TRADECURBS_RELEASES_URL`` or the project's own."""
    return os.environ.get("TRADECURBS_RELEASES_URL", DEFAULT_RELEASES_URL).rstrip("/")


def cache_dir() -> Path:
    """Where downloaded releases are kept: ``TRADECURBS_CACHE_DIR`` or the user cache directory."""
    configured = os.environ.get("TRADECURBS_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("tradecurbs", appauthor=False))


def _seconds(name: str, default: float) -> float:
    text = os.environ.get(name)
    if text is None or text.strip() == "":
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise SettingError(f"{name}={text!r} is not a number of seconds greater than 0 (default {default:g})")
    return value


def timeout() -> float:
    """Seconds to wait for each answer of the release server: ``TRADECURBS_TIMEOUT`` (default 30)."""
    return _seconds("TRADECURBS_TIMEOUT", 30.0)


def deadline() -> float:
    """Seconds one file's whole download may take: ``TRADECURBS_DEADLINE`` (default 600)."""
    return _seconds("TRADECURBS_DEADLINE", 600.0)


def check() -> None:
    """Read every download setting, so a bad value is a one-line error even when nothing is downloaded."""
    timeout()
    deadline()
    retries()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def allow_unpinned() -> bool:
    """``TRADECURBS_ALLOW_UNPINNED=1``: trust the release site's own hashes for versions this
    installed tradecurbs does not pin (see ARCHITECTURE.md, "Trust")."""
    return _flag("TRADECURBS_ALLOW_UNPINNED")


def progress() -> bool | None:
    """``TRADECURBS_PROGRESS``: 1 forces progress bars, 0 hides them, unset means "on a terminal"."""
    text = os.environ.get("TRADECURBS_PROGRESS", "").strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    return None


def retries() -> int:
    """How often a transient failure is retried, with backoff: ``TRADECURBS_RETRIES`` (default 3)."""
    text = os.environ.get("TRADECURBS_RETRIES", "").strip()
    if not text:
        return 3
    if not text.isdigit() or int(text) > 10:
        raise SettingError(f"TRADECURBS_RETRIES={text!r} is not a whole number from 0 to 10 (default 3)")
    return int(text)
