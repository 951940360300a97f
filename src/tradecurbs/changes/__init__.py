"""Record-level diffs between two versions of a Data Package.

``diff(old, new)`` returns a :class:`Diff`: schema changes first, then per table the
records added, removed and modified (field by field), keyed by the primary key.
``Diff.to_dict()`` is the documented JSON shape (docs/diff.md); text, markdown and
JSON renderers only render it; ``Diff.apply`` turns OLD's records into NEW's.
"""

from .compute import diff, package_records
from .model import Diff, TableDiff

__all__ = ["Diff", "TableDiff", "diff", "package_records"]
