"""Regenerate data/jurisdictions.csv from pycountry's ISO 3166-1 table.

Every ISO 3166-1 alpha-3 code with its English short name, plus the two codes the
project adds: EUU (European Union) and WLD (all destinations). Run it after a
pycountry upgrade and review the diff (`tradecurbs diff HEAD .`).

    python scripts/make_jurisdictions.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pycountry

EXTRA = [("EUU", "European Union", "union"), ("WLD", "All destinations", "group")]
TARGET = Path(__file__).resolve().parent.parent / "data" / "jurisdictions.csv"


def jurisdiction_rows() -> list[tuple[str, str, str]]:
    """ISO 3166-1 entries plus the project's extra codes, sorted by code."""
    rows = [(country.alpha_3, country.name, "country") for country in pycountry.countries]
    rows.extend(EXTRA)
    return sorted(rows)


def render(rows: list[tuple[str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "name", "kind"])
    writer.writerows(rows)
    return buffer.getvalue()


if __name__ == "__main__":
    TARGET.write_text(render(jurisdiction_rows()), encoding="utf-8", newline="")
    print(f"wrote {TARGET} ({len(jurisdiction_rows())} rows, pycountry {pycountry.__version__})")
