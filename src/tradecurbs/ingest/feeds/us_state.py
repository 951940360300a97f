"""The US State Department's travel-advisory RSS feed (TAsTWs.xml).

Each ``<item>`` has a title ``"<Country> - Level N: <label>"``, a link ending in
``destination.<iso3>.html`` and a ``Country-Tag`` category that is *not* always ISO
(``UK``, ``UC``, ``NS``). The link's alpha-3 slug is the join key; the tag is the
fallback, through places.csv. XML is parsed with defusedxml (no entity expansion).
"""

from __future__ import annotations

import email.utils
import re

from ...extras import requires
from .. import places
from ..model import BadItem, FeedError, FeedItem, Issuer, Snapshot

ISSUER = Issuer(
    slug="us-state",
    jurisdiction="USA",
    authority="Department of State",
    publisher="U.S. Department of State, Bureau of Consular Affairs",
    title="travel.state.gov: Travel Advisories (RSS feed)",
    url="https://travel.state.gov/_res/rss/TAsTWs.xml",
    name="the US State Department",
)

_LEVEL = re.compile(r"Level\s+([1-4])\s*:\s*(.+)")
_SLUG = re.compile(r"destination\.([a-z]{3})\.html$")


def parse(raw: bytes, captured_on: str) -> Snapshot:
    """Every item of the feed as a FeedItem, or a BadItem saying why it could not be read."""
    ElementTree = requires("defusedxml.ElementTree", "ingest")
    DefusedXmlException = requires("defusedxml.common", "ingest").DefusedXmlException

    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise FeedError(f"US State Department feed: not well-formed XML (line {line}, column {column})") from None
    except DefusedXmlException as error:
        raise FeedError(f"US State Department feed: refused ({type(error).__name__}: entities or DTDs)") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FeedError(f"US State Department feed: expected <rss><channel>, found <{root.tag}>")
    snapshot = Snapshot(ISSUER, captured_on, _date(channel.findtext("pubDate") or ""))
    items = channel.findall("item")
    if not items:
        raise FeedError("US State Department feed: the channel has no <item>")
    for position, item in enumerate(items, 1):
        title = (item.findtext("title") or "").strip()
        where = f"item {position} ({title or 'no title'})"
        try:
            snapshot.items.append(_item(item, title))
        except ValueError as error:
            snapshot.bad.append(BadItem(where, str(error)))
    return snapshot


def _item(item, title: str) -> FeedItem:
    name, _, level_text = title.partition(" - ")
    name = name.strip().removesuffix(" Travel Advisory")  # "Mexico Travel Advisory - Level 2: ..."
    threat = next((c.text or "" for c in item.findall("category") if c.get("domain") == "Threat-Level"), "")
    match = _LEVEL.fullmatch((level_text or threat).strip())
    if not match:
        raise ValueError(f"unknown level label {(level_text or threat).strip()!r} (expected 'Level N: ...')")
    link = (item.findtext("link") or "").strip()
    destination = None
    slug = _SLUG.search(link)
    if slug:
        destination = places.from_alpha3(slug.group(1))
    if destination is None:
        tag = next((c.text or "" for c in item.findall("category") if c.get("domain") == "Country-Tag"), "").strip()
        destination = places.from_alpha2(ISSUER.slug, tag) if tag else None
    if destination is None:
        raise ValueError(f"destination {name.strip()!r} maps to no ISO 3166-1 code (link {link!r})")
    updated = _date(item.findtext("pubDate") or "")
    if not updated:
        raise ValueError(f"missing or unreadable pubDate {item.findtext('pubDate')!r}")
    return FeedItem(destination, name.strip(), int(match.group(1)), f"Level {match.group(1)}: {match.group(2).strip()}",
                    updated, link)


def _date(text: str) -> str:
    """An RFC 822 date ('Tue, 15 Sep 2026' with or without a time) as YYYY-MM-DD, '' if unreadable."""
    text = text.strip()
    if not text:
        return ""
    if re.fullmatch(r"\w{3}, \d{1,2} \w{3} \d{4}", text):
        text += " 00:00:00 GMT"
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return ""
