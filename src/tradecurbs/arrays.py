"""numpy and Python values <-> Arrow without importing pandas.

pyarrow imports pandas (about 0.3-0.5 s, single-threaded) the first time a Python or
numpy value crosses into Arrow (``pa.array``, ``pa.scalar``, a Python constant given to a
compute function) or an array goes to numpy (``to_numpy``, ``np.asarray``): it checks
whether the value is a pandas object. The diff and validate need no pandas, so they move
their index arrays, flags and constants through Arrow buffers instead.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


def from_numpy(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """A 1-D int64 numpy array as an Arrow int64 array (no copy); ``mask`` True = missing."""
    import numpy as np
    import pyarrow as pa

    values = np.ascontiguousarray(values, dtype=np.int64)
    validity = None
    if mask is not None and mask.any():
        validity = pa.py_buffer(np.packbits(~mask, bitorder="little"))
    return pa.Array.from_buffers(pa.int64(), len(values), [validity, pa.py_buffer(values)])


def to_numpy(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean or integer array without missing values as numpy (bools unpacked)."""
    import numpy as np
    import pyarrow as pa

    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    if pa.types.is_boolean(array.type):
        dtype = np.dtype(bool)
    elif pa.types.is_integer(array.type):
        dtype = np.dtype(f"{'' if pa.types.is_signed_integer(array.type) else 'u'}int{array.type.bit_width}")
    else:
        raise TypeError(f"to_numpy: {array.type} is neither boolean nor integer")
    parts = [np.empty(0, dtype=dtype)]
    for chunk in chunks:
        if chunk.null_count:
            raise ValueError("to_numpy: the array has missing values")
        data = chunk.buffers()[1]
        if data is None or len(chunk) == 0:
            continue
        if dtype == bool:
            bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8), count=chunk.offset + len(chunk),
                                 bitorder="little")
            parts.append(bits[chunk.offset:].view(bool))
        else:
            parts.append(np.frombuffer(data, dtype=dtype)[chunk.offset:chunk.offset + len(chunk)])
    return parts[0] if len(parts) == 1 else parts[1] if len(parts) == 2 else np.concatenate(parts)


def text_offsets(array: pa.Array) -> np.ndarray:
    """The value offsets of a string or large_string array, as numpy without a copy: value
    ``i`` is bytes ``offsets[i]:offsets[i + 1]`` of the data buffer (``array.buffers()[2]``)."""
    import numpy as np
    import pyarrow as pa

    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    return np.frombuffer(array.buffers()[1], dtype=width)[array.offset: array.offset + len(array) + 1]


def edge_bytes(text: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each text cell's first and last byte of UTF-8 and whether it has any (uint8, uint8,
    bool numpy arrays, one entry per cell; a missing cell has none), read from the Arrow
    buffers without building a new array: the cheap first pass of the prefix and
    whitespace checks, which then look closer only at the cells it picks."""
    import numpy as np
    import pyarrow as pa

    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    firsts, lasts, present = [np.empty(0, np.uint8)], [np.empty(0, np.uint8)], [np.empty(0, bool)]
    for chunk in chunks:
        if not len(chunk):
            continue
        offsets = text_offsets(chunk).astype(np.int64)
        starts, stops = offsets[:-1], offsets[1:]
        has = stops > starts
        if chunk.null_count:
            has &= to_numpy(chunk.is_valid())
        data = chunk.buffers()[2]
        bytes_ = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else np.zeros(1, np.uint8)
        firsts.append(np.where(has, bytes_[np.where(has, starts, 0)], 0).astype(np.uint8))
        lasts.append(np.where(has, bytes_[np.where(has, stops - 1, 0)], 0).astype(np.uint8))
        present.append(has)
    return np.concatenate(firsts), np.concatenate(lasts), np.concatenate(present)


def maybe_padded(text: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """True (numpy, one per cell) where a text cell may start or end with whitespace: its
    first or last byte is ASCII whitespace (0x20 or less) or part of a multi-byte character.
    Elsewhere Arrow's Unicode trim would change nothing, so only these need it."""
    first, last, present = edge_bytes(text)
    return present & ((first <= 0x20) | (first >= 0x7F) | (last <= 0x20) | (last >= 0x7F))


def false_for_missing(flags: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A boolean array with its missing values made False (``fill_null(flags, False)``)."""
    import pyarrow.compute as pc

    return pc.and_kleene(flags, pc.is_valid(flags))


def empty_or_missing(text: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """True where a text cell is missing or the empty string."""
    import pyarrow as pa
    import pyarrow.compute as pc

    has_text = pc.cast(pc.binary_length(text), pa.bool_())  # null where missing
    return pc.or_kleene(pc.is_null(text), pc.invert(has_text))


def missing_text(length: int = 1) -> pa.Array:
    """``length`` missing text cells (a null scalar is ``missing_text()[0]``)."""
    import pyarrow as pa

    return pa.nulls(length, pa.string())


def text_scalar(value: str) -> pa.Scalar:
    """``value`` as an Arrow string scalar."""
    import numpy as np
    import pyarrow as pa

    data = value.encode("utf-8")
    offsets = np.array([0, len(data)], dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), 1, [None, pa.py_buffer(offsets), pa.py_buffer(data)])[0]


def number_scalar(value: float) -> pa.Scalar:
    """``value`` as an Arrow float64 scalar."""
    import numpy as np
    import pyarrow as pa

    return pa.Array.from_buffers(pa.float64(), 1, [None, pa.py_buffer(np.array([value], dtype=np.float64))])[0]


def true_for_missing(flags: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A boolean array with its missing values made True (``fill_null(flags, True)``)."""
    import pyarrow.compute as pc

    return pc.or_kleene(flags, pc.is_null(flags))


def text_array(values: list[str]) -> pa.Array:
    """Python strings (none missing) as an Arrow string array."""
    import numpy as np
    import pyarrow as pa

    data = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(data), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])


def integer_scalar(value: int) -> pa.Scalar:
    """``value`` as an Arrow int64 scalar."""
    import numpy as np
    import pyarrow as pa

    return pa.Array.from_buffers(pa.int64(), 1, [None, pa.py_buffer(np.array([value], dtype=np.int64))])[0]


def null_scalar(type_: pa.DataType) -> pa.Scalar:
    """A missing value of ``type_``."""
    import pyarrow as pa

    return pa.nulls(1, type_)[0]


def rows_where(flags: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Positions (int64) where ``flags`` is true; a missing flag counts as false."""
    import numpy as np

    return np.flatnonzero(to_numpy(false_for_missing(flags))).astype(np.int64)


def take(values: pa.Array | pa.ChunkedArray, rows: np.ndarray | list[int] | pa.Array) -> pa.Array | pa.ChunkedArray:
    """``values`` at positions ``rows`` (a numpy array, a list of ints or an Arrow int64 array).

    Arrow's ``take`` on a chunked array first joins its chunks into one array: a copy of
    the whole column (at 1M rows, about 10 ms a column), even for no rows at all. Ascending
    positions, what the checks and the diff take, are taken chunk by chunk instead.
    """
    import numpy as np
    import pyarrow as pa

    if isinstance(rows, pa.Array):
        indices, rows = rows, None
    else:
        rows = np.asarray(rows, dtype=np.int64)
        indices = None
    if isinstance(values, pa.ChunkedArray) and values.num_chunks > 1:
        if rows is None and _plain_indices(indices):
            rows = to_numpy(indices)
        if rows is not None and _ascending_inside(rows, len(values)):
            starts = np.cumsum([0] + [len(chunk) for chunk in values.chunks])
            bounds = np.searchsorted(rows, starts)
            parts = [values.chunk(c).take(from_numpy(rows[bounds[c]:bounds[c + 1]] - starts[c]))
                     for c in range(values.num_chunks) if bounds[c + 1] > bounds[c]]
            return pa.chunked_array(parts, type=values.type)
    return values.take(indices if indices is not None else from_numpy(rows))


def _plain_indices(indices: pa.Array) -> bool:
    """An int64 Arrow array without missing values (so numpy can read it as it is)."""
    import pyarrow as pa

    return indices.type == pa.int64() and indices.null_count == 0


def _ascending_inside(rows: np.ndarray, length: int) -> bool:
    return len(rows) == 0 or (int(rows[0]) >= 0 and int(rows[-1]) < length and bool((rows[1:] >= rows[:-1]).all()))


def date_scalar(day: date) -> pa.Scalar:
    """A ``datetime.date`` as an Arrow date32 scalar."""
    import numpy as np
    import pyarrow as pa

    days = np.array([day.toordinal() - date(1970, 1, 1).toordinal()], dtype=np.int32)
    return pa.Array.from_buffers(pa.date32(), 1, [None, pa.py_buffer(days)])[0]
