"""Settings read from the environment, with their defaults."""

from __future__ import annotations

import os
from pathlib import Path

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


def timeout() -> float:
    """Seconds to wait for the release server: ``TRADECURBS_TIMEOUT`` (default 30)."""
    try:
        return float(os.environ.get("TRADECURBS_TIMEOUT", "30"))
    except ValueError:
        return 30.0
