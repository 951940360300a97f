"""Destination names, slugs and two-letter tags to ISO 3166-1 alpha-3, never by guessing.

A name is matched exactly (after unescaping and case folding) against pycountry's
names, official names and common names, or against the exceptions kept as data in
``places.csv`` (per issuer: the US feed's non-ISO country tags, Smartraveller's
wordings). Anything else is unmapped, and the caller reports it.
"""

from __future__ import annotations

import csv
import functools
import html
from importlib import resources

from ..extras import requires


def _fold(text: str) -> str:
    return " ".join(html.unescape(text).replace("\u2019", "'").split()).casefold()


@functools.cache
def _exceptions() -> dict[tuple[str, str], str]:
    """(issuer, folded key) -> ISO3 from places.csv; an empty ISO3 means 'known not to map'."""
    text = resources.files(__package__).joinpath("places.csv").read_text(encoding="utf-8")
    return {(row["issuer"], _fold(row["key"])): row["iso3"] for row in csv.DictReader(text.splitlines())}


@functools.cache
def _names() -> dict[str, str]:
    pycountry = requires("pycountry", "ingest")
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(_fold(value), country.alpha_3)
    return names


def _alpha3_exists(code: str) -> bool:
    return requires("pycountry", "ingest").countries.get(alpha_3=code.upper()) is not None


def from_name(issuer: str, name: str) -> str | None:
    """ISO3 for a destination name, or None when it maps to no single country."""
    key = _fold(name)
    if (issuer, key) in _exceptions():
        return _exceptions()[(issuer, key)] or None
    return _names().get(key)


def from_alpha2(issuer: str, code: str) -> str | None:
    """ISO3 for a two-letter tag; the issuer's own non-ISO tags come from places.csv first."""
    key = _fold(code)
    if (issuer, key) in _exceptions():
        return _exceptions()[(issuer, key)] or None
    pycountry = requires("pycountry", "ingest")
    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 and code.isalpha() else None
    return country.alpha_3 if country else None


def from_alpha3(code: str) -> str | None:
    """``code`` upper-cased when it is an ISO 3166-1 alpha-3 code, else None."""
    return code.upper() if len(code) == 3 and code.isalpha() and _alpha3_exists(code) else None


def name_of(code: str) -> str:
    """The ISO 3166-1 name of an alpha-3 code (the code itself when pycountry has none)."""
    country = requires("pycountry", "ingest").countries.get(alpha_3=code.upper())
    return getattr(country, "common_name", None) or getattr(country, "name", None) or code if country else code
