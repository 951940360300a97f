"""Regenerate docs/china-japan-timeline.png, the picture README.md shows.

    python scripts/make_timeline.py

The picture's content hash is written into the PNG; tests/test_timeline.py fails when the
data has changed and the picture was not regenerated.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "china-japan-timeline.png"
#: What the README picture shows: both directions, named targets only, a fixed window.
PARAMS = {"by": "CHN", "against": "JPN", "since": date(2025, 11, 1), "until": date(2026, 12, 31),
          "both_ways": True, "include_wld": False}


def picture_data() -> dict:
    from tradecurbs.outputs.timeline import timeline_data

    return timeline_data(**PARAMS)


if __name__ == "__main__":
    from tradecurbs.api import load
    from tradecurbs.outputs.timeline import draw

    jurisdictions = load("jurisdictions")
    names = dict(zip(jurisdictions["code"].astype(str), jurisdictions["name"].astype(str), strict=True))
    print(f"wrote {draw(picture_data(), OUT, names)}")
