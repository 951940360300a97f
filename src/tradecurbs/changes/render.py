"""Renderers of a diff: pure functions of ``Diff.to_dict()``'s content."""

from __future__ import annotations

import json
from typing import Any

from .model import Diff

FOLD_AFTER = 10  # markdown: lists longer than this are folded in <details>


def _key_text(key: dict[str, Any]) -> str:
    return ", ".join(str(v) for v in key.values())


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return "∅" if value is None else repr(value) if isinstance(value, str) else str(value)


def _schema_line(change: dict[str, Any]) -> str:
    kind, table = change["kind"], change.get("table", "")
    where = f"{table}.{change['field']}" if "field" in change else table
    if kind in ("enum_added", "enum_removed"):
        return f"{kind.replace('_', ' ')}: {where}: {', '.join(map(str, change['values']))}"
    if kind == "field_retyped":
        return f"field retyped: {where}: {change['old']} -> {change['new']}"
    if kind == "primary_key_changed":
        return f"primary key changed: {where}: {change['old']} -> {change['new']}"
    return f"{kind.replace('_', ' ')}: {where}"


_COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "), default=str).encode


def render_json(diff: Diff, summary_only: bool = False) -> str:
    """Strict JSON (no NaN tokens), objects indented and each record on a line of its own.

    One line per record keeps large diffs readable with line tools and lets the C
    encoder write each record (measured at 1M rows: 0.1 s against 0.6 s for indent=2).
    """
    return _json(diff.to_dict(summary_only), "")


def _json(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = [f"{inner}{_COMPACT(str(k))}: {_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(inner + _COMPACT(v) for v in value) + "\n" + indent + "]"
    return _COMPACT(value)


def render_text(diff: Diff, summary_only: bool = False, colour: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    lines = [f"--- {diff.old}", f"+++ {diff.new}"]
    if diff.schema_changes:
        lines.append("schema:")
        lines += [f"  {_schema_line(c)}" for c in diff.schema_changes]
    for name, table in diff.tables.items():
        s = table.summary
        if table.is_empty and not summary_only:
            continue
        lines.append(f"{name}: {s['added']} added, {s['removed']} removed, {s['modified']} modified")
        if summary_only:
            continue
        for record in table.added:
            lines.append(paint(f"  + {_key_text({k: record.get(k) for k in table.key})}", "32"))
        for record in table.removed:
            lines.append(paint(f"  - {_key_text({k: record.get(k) for k in table.key})}", "31"))
        for change in table.modified:
            lines.append(paint(f"  ~ {_key_text(change['key'])}", "33"))
            for field, (old, new) in change["changes"].items():
                lines.append(f"      {field}: {_value(old)} -> {_value(new)}")
    if diff.is_empty:
        lines.append("no differences")
    return "\n".join(lines)


def render_markdown(diff: Diff, summary_only: bool = False) -> str:
    """A counts table, then details per table; long lists folded in <details>."""
    lines = ["| table | added | removed | modified |", "|---|---:|---:|---:|"]
    for name, table in diff.tables.items():
        s = table.summary
        lines.append(f"| `{name}` | {s['added']} | {s['removed']} | {s['modified']} |")
    if diff.schema_changes:
        lines += ["", "**Schema changes**", ""] + [f"- {_schema_line(c)}" for c in diff.schema_changes]
    if diff.is_empty:
        lines += ["", "No differences."]
    if summary_only:
        return "\n".join(lines) + "\n"
    for name, table in diff.tables.items():
        if table.is_empty:
            continue
        lines += ["", f"### `{name}`"]
        sections = [
            ("Added", [f"- `{_key_text({k: r.get(k) for k in table.key})}`" for r in table.added]),
            ("Removed", [f"- `{_key_text({k: r.get(k) for k in table.key})}`" for r in table.removed]),
            ("Modified", [
                f"- `{_key_text(c['key'])}`: " + "; ".join(
                    f"{f}: {_md(_value(o))} → {_md(_value(n))}" for f, (o, n) in c["changes"].items())
                for c in table.modified
            ]),
        ]
        for title, items in sections:
            if not items:
                continue
            if len(items) > FOLD_AFTER:
                lines += ["", f"<details><summary>{title} ({len(items)})</summary>", ""] + items + ["", "</details>"]
            else:
                lines += ["", f"{title} ({len(items)}):", ""] + items
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 120 else text[:119] + "…"
