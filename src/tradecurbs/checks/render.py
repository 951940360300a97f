"""Renderers of a Report: plain text, JSON and GitHub workflow annotations. They only print."""

from __future__ import annotations

import json

from .report import Problem, Report


def _location(problem: Problem) -> str:
    parts = [problem.file or "(package)"]
    if problem.line is not None:
        parts.append(str(problem.line))
    where = ":".join(parts)
    return f"{where} [{problem.field}]" if problem.field else where


def render_text(report: Report) -> str:
    """One line per problem (errors first), hints, then the summary line."""
    lines = []
    for group in (report.errors, report.warnings):
        for problem in sorted(group, key=lambda p: p.sort_key):
            lines.append(f"{_location(problem)}: {problem.severity} {problem.code}: {problem.message}")
    lines.extend(_omitted_lines(report))
    lines.extend(f"hint: {hint}" for hint in report.hints)
    lines.extend(report.file_lines())
    if report.note:
        lines.append(report.note)
    lines.append(report.summary())
    return "\n".join(lines)


def _omitted_lines(report: Report) -> list[str]:
    return [f"{o.file or '(package)'}: {o.severity} {o.code}: {o.count:,} more problem{'s' * (o.count != 1)} of "
            f"this code not listed (at most {report.cap} per code and file)" for o in report.omitted]


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands (``::error file=...,line=...,col=...::message``)."""
    lines = []
    for problem in sorted(report.problems, key=lambda p: (p.severity != "error", p.sort_key)):
        properties = []
        if problem.file:
            properties.append(f"file={_escape_property(problem.file)}")
        if problem.line is not None:
            properties.append(f"line={problem.line}")
        if problem.column is not None:
            properties.append(f"col={problem.column}")
        properties.append(f"title={_escape_property(problem.code)}")
        message = problem.message + (f" ({problem.hint})" if problem.hint else "")
        lines.append(f"::{problem.severity} {','.join(properties)}::{_escape_data(message)}")
    for omitted, text in zip(report.omitted, _omitted_lines(report)):
        where = f"file={_escape_property(omitted.file)}," if omitted.file else ""
        lines.append(f"::{omitted.severity} {where}title={_escape_property(omitted.code)}::{_escape_data(text)}")
    if report.note:
        lines.append(report.note)
    lines.append(report.summary())
    return "\n".join(lines)


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}
