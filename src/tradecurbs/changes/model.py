"""The diff as plain, JSON-ready data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass
class TableDiff:
    """What changed in one table, keyed by ``key`` (its primary key fields)."""

    key: list[str]
    added: list[Record] = field(default_factory=list)
    removed: list[Record] = field(default_factory=list)
    modified: list[dict[str, Any]] = field(default_factory=list)  # {"key": {...}, "changes": {f: [old, new]}}

    @property
    def summary(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed), "modified": len(self.modified)}

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.modified)

    def to_dict(self, summary_only: bool = False) -> dict[str, Any]:
        if summary_only:
            return {"key": self.key, "summary": self.summary}
        return {"key": self.key, "summary": self.summary, "added": self.added, "removed": self.removed,
                "modified": self.modified}


@dataclass
class Diff:
    """Schema changes and per-table record changes from OLD to NEW."""

    old: str
    new: str
    schema_changes: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, TableDiff] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.schema_changes and all(t.is_empty for t in self.tables.values())

    def to_dict(self, summary_only: bool = False) -> dict[str, Any]:
        """The stable JSON shape documented in docs/diff.md."""
        return {
            "old": self.old,
            "new": self.new,
            "schema": self.schema_changes,
            "tables": {name: t.to_dict(summary_only) for name, t in self.tables.items()},
        }

    def only(self, tables: list[str]) -> Diff:
        """The same diff restricted to ``tables`` (schema changes of other tables dropped)."""
        wanted = set(tables)
        return Diff(
            self.old,
            self.new,
            [c for c in self.schema_changes if c.get("table") in wanted],
            {n: t for n, t in self.tables.items() if n in wanted},
        )

    def apply(self, old: dict[str, list[Record]]) -> dict[str, list[Record]]:
        """Turn OLD's records (table -> plain records) into NEW's, sorted by key."""
        from .apply import apply_diff

        return apply_diff(self, old)
