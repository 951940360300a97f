"""Editions of a package for other tools: the SQLite file that Datasette serves."""

from __future__ import annotations

from .sqlite import content_digest, export_sqlite

__all__ = ["content_digest", "export_sqlite"]
