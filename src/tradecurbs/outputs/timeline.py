"""The timeline picture: the measures between two jurisdictions as bars over time.

``timeline_data`` is the plain, deterministic content of the picture (lanes, steps,
labels); ``draw`` renders it with matplotlib, an optional extra. The data's sha256 is
written into the file's metadata, so a committed picture can be checked for staleness
without comparing pixels across matplotlib versions.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import TradecurbsError

#: Colour per table (colour-blind safe, Okabe-Ito).
COLOURS = {
    "export_controls": "#0072B2",
    "import_restrictions": "#D55E00",
    "tariff_measures": "#CC79A7",
    "trade_remedies": "#009E73",
    "travel_advisories": "#E69F00",
}
LABELS = {
    "export_controls": "export control",
    "import_restrictions": "import restriction",
    "tariff_measures": "tariff",
    "trade_remedies": "trade remedy",
    "travel_advisories": "travel advisory",
}
#: How a step is marked: starts, changes, ends.
MARKERS = {"start": "o", "change": "D", "end": "s"}
_STARTS = {"announced", "in_force", "initiated", "issued", "preliminary_ruling", "final_ruling", "undertaking"}
_ENDS = {"lifted", "expired", "terminated", "withdrawn"}
HASH_KEY = "tradecurbs-timeline-sha256"


class PlotUnavailable(TradecurbsError):
    """matplotlib is not installed."""

    def __init__(self) -> None:
        super().__init__('the timeline needs matplotlib: pip install "tradecurbs[plot]"')


def _marker(kind: str) -> str:
    return "start" if kind in _STARTS else "end" if kind in _ENDS else "change"


def _present(value: Any) -> Any:
    """The value, or None when it is missing (None, NA, NaT)."""
    import pandas as pd

    return None if value is None or pd.isna(value) else value


def _label(row: dict[str, Any]) -> str:
    """At most two short lines saying what the measure is."""
    what = " ".join(str(row.get("what") or row["id"]).split())
    kind = str(row.get("kind") or "").replace("_", " ")
    if row["table"] == "travel_advisories":
        level = _present(row.get("level"))
        what = f"{kind.capitalize()} advice on {what}" + ("" if level is None else f" (level {level})")
    elif row.get("entities") and str(row.get("authority") or "").startswith("Ministry of Foreign Affairs"):
        what = f"Countermeasures on {', '.join(row['entities'])}"  # sanctions on named people or firms
    elif row["table"] == "trade_remedies":
        what = f"{kind.replace(' ', '-').capitalize()}: {what}"
    lines = textwrap.wrap(what, width=50, max_lines=2, placeholder="…")
    return "\n".join(lines)


def timeline_data(by: str, against: str, since: date | str | None = None, until: date | str | None = None,
                  both_ways: bool = False, include_wld: bool = False, all_active: bool = False,
                  version: str | None = None) -> dict[str, Any]:
    """What the picture shows, as plain values: one lane per measure with its bar and dated steps.

    Measures of ``by`` against ``against`` (and the reverse with ``both_ways``) with a
    step from ``since`` to ``until`` (with ``all_active``, every measure active then);
    measures aimed at all destinations (``WLD``) only with ``include_wld``. Lanes are
    grouped by direction and ordered by start, then id.
    """
    from ..temporal.measures import _as_day, _select, catalog

    until_day = _as_day(until, "until") or date.today()
    since_day = _as_day(since, "since") or date(until_day.year - 1, until_day.month, 1)
    if since_day > until_day:
        raise TradecurbsError(f"since {since_day} is after until {until_day}")
    cat = catalog(version)
    pairs = [(by.upper(), against.upper())] + ([(against.upper(), by.upper())] if both_ways else [])
    lanes = []
    for imposing, target in pairs:
        frame = _select(cat, imposing, target, None, (since_day, until_day), None, None, None, until_day)
        for row in frame.to_dict("records"):
            if row["target_match"] == "WLD" and not include_wld:
                continue
            steps = cat.steps_of(row["id"], until_day)
            shown = [s for s in steps if since_day <= s.on <= until_day]
            if not shown and not all_active:
                continue
            first = steps[0].on if steps else since_day
            ended = _present(row["ended_on"])
            end = min(ended.date(), until_day) if ended is not None else until_day
            lanes.append({
                "id": row["id"], "table": row["table"], "imposing": imposing,
                "label": _label({**row, "entities": cat.records[row["id"]][1].get("entities")}),
                "start": max(first, since_day).isoformat(), "end": end.isoformat(),
                "open_start": first < since_day, "status": row["status"],
                "steps": [{"on": s.on.isoformat(), "kind": s.kind, "mark": _marker(s.kind),
                           "scheduled": s.scheduled} for s in shown],
            })
    lanes.sort(key=lambda lane: (lane["imposing"] != by.upper(), lane["start"], lane["id"]))
    return {"by": by.upper(), "against": against.upper(), "both_ways": both_ways, "since": since_day.isoformat(),
            "until": until_day.isoformat(), "lanes": lanes}


def data_hash(data: dict[str, Any]) -> str:
    """sha256 of the picture's content, as written into the file's metadata."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def draw(data: dict[str, Any], out: str | Path, names: dict[str, str] | None = None) -> Path:
    """Render ``timeline_data`` to ``out`` (.png or .svg) and return the path."""
    out = Path(out)
    if out.suffix.lower() not in (".png", ".svg"):
        raise TradecurbsError(f"{out}: the timeline is written as .png or .svg")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
    except ImportError:
        raise PlotUnavailable() from None
    names = names or {}
    lanes = data["lanes"]
    since, until = date.fromisoformat(data["since"]), date.fromisoformat(data["until"])
    by, against = names.get(data["by"], data["by"]), names.get(data["against"], data["against"])
    rows: list[tuple[str, Any]] = []
    for imposing, target in ((data["by"], data["against"]), (data["against"], data["by"])):
        group = [lane for lane in lanes if lane["imposing"] == imposing]
        if group and data["both_ways"]:
            rows.append(("heading", f"{names.get(imposing, imposing)} on {names.get(target, target)}"))
        rows += [("lane", lane) for lane in group]
    height = 1.9 + 0.52 * max(len(rows), 1)
    with plt.rc_context({"font.family": "DejaVu Sans", "font.size": 9.5, "svg.hashsalt": "tradecurbs"}):
        fig, ax = plt.subplots(figsize=(12, height), dpi=110)
        left, right = mdates.date2num(since), mdates.date2num(until)
        ticks, labels = [], []
        for y, (what, item) in enumerate(rows):
            if what == "heading":
                ax.text(0, y + 0.15, item, transform=ax.get_yaxis_transform(), ha="right", va="center",
                        fontsize=11, fontweight="bold", color="#222222")
                ax.axhline(y + 0.45, color="#bbbbbb", linewidth=0.8)
                continue
            lane = item
            colour = COLOURS.get(lane["table"], "#777777")
            start, end = date.fromisoformat(lane["start"]), date.fromisoformat(lane["end"])
            width = max((end - start).days, 2)
            ax.barh(y, width, left=mdates.date2num(start), height=0.5, color=colour, alpha=0.3,
                    edgecolor=colour, linewidth=1.0)
            for step in lane["steps"]:
                day = mdates.date2num(date.fromisoformat(step["on"]))
                ax.plot(day, y, marker=MARKERS[step["mark"]], markersize=7, linestyle="none",
                        markerfacecolor="white" if step["scheduled"] else colour,
                        markeredgecolor=colour, markeredgewidth=1.4, zorder=3 if step["scheduled"] else 4,
                        clip_on=False)
            ticks.append(y)
            labels.append(lane["label"])
        ax.set_yticks(ticks, labels, fontsize=9)
        ax.set_ylim(len(rows) - 0.4, -0.7)
        ax.set_xlim(left, right)
        locator = mdates.MonthLocator(bymonth=range(1, 13, 2 if (until - since).days > 500 else 1))
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(axis="x", color="#e3e3e3", linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        title = f"Measures between {by} and {against}" if data["both_ways"] else f"Measures by {by} against {against}"
        fig.suptitle(f"{title}, {since:%-d %b %Y} to {until:%-d %b %Y}", x=0.01, ha="left", fontsize=14,
                     fontweight="bold")
        tables = [t for t in COLOURS if any(lane["table"] == t for lane in lanes)]
        handles = [Patch(facecolor=COLOURS[t], alpha=0.5, edgecolor=COLOURS[t], label=LABELS[t]) for t in tables]
        handles += [Line2D([], [], marker=MARKERS["start"], color="#444444", linestyle="none",
                           label="begins, takes effect, ruling"),
                    Line2D([], [], marker=MARKERS["change"], color="#444444", linestyle="none",
                           label="amended, extended, reiterated"),
                    Line2D([], [], marker=MARKERS["end"], color="#444444", linestyle="none", label="ends"),
                    Line2D([], [], marker="o", color="#444444", markerfacecolor="white", linestyle="none",
                           label="scheduled (deadline, planned end)")]
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(-0.02, 1.0), ncol=4, frameon=False,
                  fontsize=9, borderaxespad=0.3, columnspacing=1.4)
        fig.text(0.01, 0.005, "Bars run from a measure's first step to its end (or the right edge while it stands). "
                 "Data: tradecurbs; each step cites its sources (tradecurbs history ID).", fontsize=8,
                 color="#666666")
        fig.tight_layout(rect=(0, 0.02, 1, 0.97))
        digest = data_hash(data)
        metadata = {"Description": f"{HASH_KEY}={digest}"} if out.suffix.lower() == ".png" else \
            {"Description": f"{HASH_KEY}={digest}", "Date": None}
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, metadata=metadata, bbox_inches="tight")
        plt.close(fig)
    return out


def embedded_hash(path: str | Path) -> str | None:
    """The content hash written into a picture by ``draw`` (PNG text chunk or SVG metadata), or None."""
    raw = Path(path).read_bytes()
    marker = f"{HASH_KEY}=".encode()
    at = raw.find(marker)
    if at < 0:
        return None
    digest = raw[at + len(marker): at + len(marker) + 64].decode("ascii", "replace")
    return digest if all(c in "0123456789abcdef" for c in digest) and len(digest) == 64 else None
