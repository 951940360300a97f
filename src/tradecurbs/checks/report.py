"""Problems are data: a stable code, a location, the value and a sentence.

A ``Report`` is the one result of a validation run: the library returns it, and the
text, JSON and GitHub renderers only print it (``Report.to_dict()`` is the JSON).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
_VALUE_WIDTH = 60


def shorten(value: Any, width: int = _VALUE_WIDTH) -> str | None:
    """The value as text, cut to ``width`` characters with an ellipsis."""
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the package, where it is and what to do about it."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    column: int | None = None
    value: str | None = None
    table: str | None = None
    severity: str = ERROR
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.field or "", self.code, self.value or "")


@dataclass(frozen=True)
class Surplus(Problem):
    """Stands for ``count`` more problems of its code and file, never made one by one (see the cap)."""

    count: int = 0


@dataclass(frozen=True)
class Omitted:
    """Problems of one code in one file beyond the cap: counted, not listed."""

    file: str | None
    code: str
    severity: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """Everything one run of ``validate`` found, errors and warnings apart.

    At most ``cap`` problems of one code are listed per file (see ``add``); the rest
    are counted in ``omitted``. ``files`` accounts for each CSV file's lines: the
    header, the records read, lines inside multi-line records and lines in problems.
    """

    path: str
    problems: list[Problem] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    files: dict[str, dict[str, int]] = field(default_factory=dict)
    cap: int | None = None
    _counts: dict[tuple[str | None, str, str], int] = field(default_factory=dict, repr=False)
    note: str | None = None  # a sentence printed before the summary (what was validated, if not PATH)

    def add(self, problems: Iterable[Problem]) -> None:
        """Record ``problems``, listing at most ``cap`` of each code per file."""
        for problem in problems:
            key = (problem.file, problem.code, problem.severity)
            seen = self._counts.get(key, 0)
            if isinstance(problem, Surplus):
                self._counts[key] = seen + problem.count
                continue
            self._counts[key] = seen + 1
            if self.cap is None or seen < self.cap:
                self.problems.append(problem)

    @property
    def omitted(self) -> list[Omitted]:
        """Per file and code, how many problems were found beyond the cap."""
        if self.cap is None:
            return []
        return [Omitted(file, code, severity, count - self.cap)
                for (file, code, severity), count in sorted(self._counts.items(), key=lambda kv: (kv[0][0] or "",
                                                                                                  kv[0][1]))
                if count > self.cap]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def count(self, severity: str) -> int:
        """Problems of ``severity`` found, listed or not."""
        listed = sum(1 for p in self.problems if p.severity == severity)
        return listed + sum(o.count for o in self.omitted if o.severity == severity)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not fail a package)."""
        return not self.errors and not any(o.severity == ERROR for o in self.omitted)

    @property
    def hints(self) -> list[str]:
        """Distinct suggestions, in the order they first appear."""
        return list(dict.fromkeys(p.hint for p in sorted(self.problems, key=lambda p: p.sort_key) if p.hint))

    def summary(self) -> str:
        errors, warnings = self.count(ERROR), self.count(WARNING)
        verdict = "valid" if self.ok else "invalid"
        text = (
            f"{self.path}: {verdict}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)} in {len(self.tables)} table{'s' * (len(self.tables) != 1)}"
        )
        if self.files:
            lines = sum(c["lines"] for c in self.files.values())
            records = sum(c["records"] for c in self.files.values())
            others = lines - records - len(self.files)
            text += (f" ({lines:,} lines: {len(self.files)} header{'s' * (len(self.files) != 1)} + {records:,} "
                     f"records" + (f" + {others:,} in multi-line records or problems" if others else "") + ")")
        return text

    def to_dict(self) -> dict[str, Any]:
        ordered = sorted(self.problems, key=lambda p: p.sort_key)
        return {
            "path": self.path,
            "valid": self.ok,
            "tables": list(self.tables),
            "counts": {"errors": self.count(ERROR), "warnings": self.count(WARNING)},
            "errors": [p.to_dict() for p in ordered if p.severity == ERROR],
            "warnings": [p.to_dict() for p in ordered if p.severity == WARNING],
            "omitted": [o.to_dict() for o in self.omitted],
            "files": {name: dict(counts) for name, counts in sorted(self.files.items())},
            "note": self.note,
            "hints": self.hints,
        }

    def file_lines(self) -> list[str]:
        """One sentence per CSV file whose lines are not one record each: lines against records."""
        out = []
        for name, c in sorted(self.files.items()):
            if not c.get("inside") and not c.get("reported"):
                continue  # one record per line: the summary's totals say it
            parts = [f"{c['records']} record{'s' * (c['records'] != 1)}"]
            if c.get("inside"):
                parts.append(f"{c['inside']} more inside multi-line records")
            if c.get("reported"):
                parts.append(f"{c['reported']} in the problems above")
            out.append(f"{name}: {c['lines']} lines = header + {' + '.join(parts)}")
        return out
