"""Reading a JSON feed: one line of error for a payload that is not JSON."""

from __future__ import annotations

import json
from typing import Any

from ..model import FeedError


def load_json(raw: bytes, what: str) -> Any:
    """The decoded payload, or FeedError naming what was expected and where decoding stopped."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise FeedError(f"{what}: not UTF-8 (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise FeedError(f"{what}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
