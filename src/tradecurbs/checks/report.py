"""Problems are data: a stable code, a location, the value and a sentence.

A ``Report`` is the one result of a validation run: the library returns it, and the
text, JSON and GitHub renderers only print it (``Report.to_dict()`` is the JSON).
"""

from __future__ import annotations

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


@dataclass
class Report:
    """Everything one run of ``validate`` found, errors and warnings apart."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not fail a package)."""
        return not self.errors

    @property
    def hints(self) -> list[str]:
        """Distinct suggestions, in the order they first appear."""
        return list(dict.fromkeys(p.hint for p in sorted(self.problems, key=lambda p: p.sort_key) if p.hint))

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        verdict = "valid" if self.ok else "invalid"
        return (
            f"{self.path}: {verdict}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)} in {len(self.tables)} table{'s' * (len(self.tables) != 1)}"
        )

    def to_dict(self) -> dict[str, Any]:
        ordered = sorted(self.problems, key=lambda p: p.sort_key)
        return {
            "path": self.path,
            "valid": self.ok,
            "tables": list(self.tables),
            "counts": {"errors": len(self.errors), "warnings": len(self.warnings)},
            "errors": [p.to_dict() for p in ordered if p.severity == ERROR],
            "warnings": [p.to_dict() for p in ordered if p.severity == WARNING],
            "hints": self.hints,
        }
