"""The one list codec: a list field's cell text <-> its items.

A list cell is its items joined by the field's delimiter (``;``); an empty cell is
the empty list, and the empty list is written as an empty (missing) cell. Every
reader and writer (the loader, validate, format, release CSVs) goes through here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa


def split(text: pa.Array | pa.ChunkedArray, delimiter: str) -> pa.Array:
    """Cell text to ``list<string>``: items as written; a missing or empty cell is ``[]``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks() if text.num_chunks != 1 else text.chunk(0)
    filled = pc.fill_null(text, "")
    empty = pa.array([[]] * len(filled), type=pa.list_(pa.string()))
    return pc.if_else(pc.equal(filled, ""), empty, pc.split_pattern(filled, delimiter))


def items(text: pa.Array | pa.ChunkedArray, delimiter: str) -> pa.Array:
    """Cell text to ``list<string>`` keeping a missing cell missing (validate counts its items apart)."""
    import pyarrow.compute as pc

    return pc.split_pattern(text, delimiter)


def join(lists: pa.Array | pa.ChunkedArray, delimiter: str) -> pa.Array:
    """``list<string>`` to cell text: items joined by ``delimiter``; the empty list is a missing cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks() if lists.num_chunks != 1 else lists.chunk(0)
    joined = pc.binary_join(lists, delimiter)
    return pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)
