"""One parser per publisher's feed: raw bytes in, a Snapshot (good items and bad ones) out."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Issuer, Snapshot
from . import canada_gac, smartraveller, us_state

#: slug -> (issuer, parser(raw, captured_on) -> Snapshot)
PARSERS: dict[str, tuple[Issuer, Callable[[bytes, str], Snapshot]]] = {
    module.ISSUER.slug: (module.ISSUER, module.parse) for module in (us_state, smartraveller, canada_gac)
}
