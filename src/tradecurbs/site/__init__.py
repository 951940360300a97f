"""The static site: a citable page per record, per table and per jurisdiction (``tradecurbs site build``)."""

from __future__ import annotations

from .build import DEFAULT_BASE_URL, Built, ReleaseFiles, SiteError, build_site

__all__ = ["DEFAULT_BASE_URL", "Built", "ReleaseFiles", "SiteError", "build_site"]
