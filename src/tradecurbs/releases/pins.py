"""Pinning a built release into the package's index, and checking a release reproduces."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from . import registry
from .errors import ReleaseError
from .version import Version


def _site_index(site: Path) -> dict[Version, registry.Release]:
    path = site / registry.INDEX
    if not path.is_file():
        raise ReleaseError(f"{site} is not a release site (no {registry.INDEX})")
    return registry.parse_index(path.read_text(encoding="utf-8"), str(path))


def pin_release(site: Path, version: str | Version, pin: Path) -> None:
    """Add release ``version`` of the release site ``site`` to the index ``pin`` (never change a pin)."""
    wanted = version if isinstance(version, Version) else Version.parse(version)
    releases = _site_index(site)
    if wanted not in releases:
        raise ReleaseError(f"{site}/{registry.INDEX} has no release {wanted}")
    pins = registry.parse_index(pin.read_text(encoding="utf-8"), str(pin)) if pin.is_file() else {}
    merged = registry.merge(pins, {wanted: releases[wanted]}, f"release {wanted} of {site}")
    tmp = pin.with_name(f".{pin.name}.tmp")
    tmp.write_text(registry.render_index(merged), encoding="utf-8")
    tmp.replace(pin)


def check_release(site: Path, version: str | Version, source: Path, pin: Path | None = None) -> list[str]:
    """Rebuild ``version`` from ``source`` next to the site's older releases; list every difference
    from the site's copy, its index entry and the pinned entry (empty: all identical).

    Every file is compared byte for byte except the SQLite file, compared by content: its
    bytes depend on the SQLite library, so a rebuild holding the same content keeps the
    published bytes (``build``), and then the checksums and descriptor compare byte for byte too.
    """
    from .build import SQLITE, build

    wanted = version if isinstance(version, Version) else Version.parse(version)
    releases = _site_index(site)
    if wanted not in releases:
        return [f"{site}/{registry.INDEX} has no release {wanted}"]
    published = releases[wanted]
    pins = registry.parse_index(pin.read_text(encoding="utf-8"), str(pin)) if pin else registry.pinned()
    problems = []
    if pins.get(wanted) != published:
        problems.append(f"release {wanted}: the pinned index {'has no entry for it' if wanted not in pins else 'differs'} "
                        f"from {site}/{registry.INDEX}")
    with tempfile.TemporaryDirectory(prefix="tradecurbs-check-") as tmp:
        scratch = Path(tmp)
        older = {v: r for v, r in releases.items() if v < wanted}
        for release in older.values():
            shutil.copytree(site / release.directory, scratch / release.directory)
        (scratch / registry.INDEX).write_text(registry.render_index(older), encoding="utf-8")
        rebuilt = build(source, wanted, scratch, published.created or None,
                        published_sqlite=site / published.directory / SQLITE)
        for item in published.files:
            ours, theirs = rebuilt / item.path, site / published.directory / item.path
            if not ours.is_file():
                problems.append(f"{item.path}: not produced by the rebuild")
            elif not theirs.is_file() or ours.read_bytes() != theirs.read_bytes():
                how = "holds other content than" if item.path == SQLITE else "differs from"
                problems.append(f"{item.path}: the rebuild {how} {theirs}")
        entry = registry.parse_index((scratch / registry.INDEX).read_text(encoding="utf-8"), "rebuild")[wanted]
        if entry != published:
            problems.append(f"release {wanted}: the rebuilt files, sizes or hashes differ from {site}/{registry.INDEX}")
    return problems
