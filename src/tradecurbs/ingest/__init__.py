"""Official travel-advisory feeds: parse a publisher's snapshot, detect changes, apply a review.

    >>> review = ingest_feed("smartraveller", "destinations-export.json", captured_on="2026-04-10")
    >>> write_review(review, "review/", package)      # nothing in data/ changes yet
    >>> apply_review("review/", ".")                  # a maintainer applies it

One parser per publisher lives in ``feeds/``; names and tags become ISO codes in
``places`` (pycountry plus the exceptions in ``places.csv``), never by guessing.
"""

from __future__ import annotations

from .apply import Applied, ReviewError, apply_review
from .fetch import FeedFetchError, read_feed
from .model import BadItem, FeedError, FeedItem, Issuer, Snapshot
from .review import Review, compare_snapshots, compare_with_data, render_markdown, write_review

__all__ = [
    "Applied", "BadItem", "FeedError", "FeedFetchError", "FeedItem", "Issuer", "Review", "ReviewError", "Snapshot",
    "apply_review", "compare_snapshots", "compare_with_data", "ingest_feed", "parse_feed", "publishers",
    "read_feed", "render_markdown", "write_review",
]


def publishers() -> list[str]:
    """The feeds that can be ingested, by the name the CLI takes."""
    from .feeds import PARSERS

    return sorted(PARSERS)


def parse_feed(publisher: str, location: str, captured_on: str) -> Snapshot:
    """The snapshot of ``publisher``'s feed read from a file or URL, captured on ``captured_on``."""
    from ..errors import TradecurbsError
    from .feeds import PARSERS

    if publisher not in PARSERS:
        raise TradecurbsError(f"unknown feed {publisher!r}; valid feeds: {', '.join(publishers())}")
    return PARSERS[publisher][1](read_feed(location), captured_on)


def ingest_feed(publisher: str, location: str, captured_on: str, root: str = ".",
                against: str | None = None, captured_against: str | None = None,
                only: set[str] | None = None) -> Review:
    """Compare a feed with the data at ``root`` (or with an earlier snapshot ``against``)."""
    snapshot = parse_feed(publisher, location, captured_on)
    if against is not None:
        earlier = parse_feed(publisher, against, captured_against or "earlier")
        return compare_snapshots(earlier, snapshot)
    from ..datapackage import Package
    from ..loading import load_resource
    from ..records import to_records

    package = Package.from_directory(root)
    frame = load_resource(package, "travel_advisories")
    sources = load_resource(package, "sources", columns=["id", "url", "published_on"])
    return compare_with_data(snapshot, to_records(frame), only,
                             to_records(sources))
