"""What a publisher's feed says, as plain values: one item per destination, plus the bad items."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import TradecurbsError


class FeedError(TradecurbsError):
    """A feed that cannot be read at all (not XML or JSON, the wrong shape, no items)."""


@dataclass(frozen=True)
class Issuer:
    """Who publishes a feed, and how its rows are written into travel_advisories."""

    slug: str  #: the name users type: ``us-state``, ``smartraveller``, ``canada-gac``
    jurisdiction: str  #: ISO3 of the issuing government
    authority: str  #: the ``authority`` cell of its rows
    publisher: str  #: the ``publisher`` of the snapshot's source row
    title: str  #: the feed's title, for the snapshot's source row
    url: str  #: the feed's own address
    name: str  #: how a summary names the issuer: "Australia's Smartraveller"


@dataclass(frozen=True)
class FeedItem:
    """One destination's advice as the feed states it."""

    destination: str  #: ISO 3166-1 alpha-3
    name: str  #: the destination as the feed names it
    level: int  #: the common 1-4 scale (docs/advisory-levels.md)
    level_label: str  #: the issuer's own wording
    updated_on: str  #: YYYY-MM-DD, the date the issuer last updated the advice
    link: str = ""


@dataclass(frozen=True)
class BadItem:
    """An item that could not be turned into a FeedItem: where it is and why."""

    where: str  #: the item as the feed identifies it (title, key, position)
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Snapshot:
    """A feed as captured on one day: its good items and the items it could not read."""

    issuer: Issuer
    captured_on: str  #: YYYY-MM-DD
    published_on: str  #: the feed's own date, YYYY-MM-DD ('' when it gives none)
    items: list[FeedItem] = field(default_factory=list)
    bad: list[BadItem] = field(default_factory=list)

    def by_destination(self) -> dict[str, FeedItem]:
        """Items keyed by destination (a feed lists each destination once)."""
        return {item.destination: item for item in self.items}
