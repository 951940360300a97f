"""The one set of limits on what a table may hold, shared by every reader.

``validate`` reports a value outside these limits as a problem; ``load``, ``diff``
and ``release build`` (which all read through ``loading.read_table``) refuse it with
a DataError. So anything that validates also loads, diffs and builds, and nothing
that loads was refused by ``validate``. Only the standard library is imported here.
"""

from __future__ import annotations

#: Dates lie in years MIN_YEAR..MAX_YEAR: four-digit years, which every reader,
#: writer and the Python ``datetime`` used by diffs can represent.
MIN_YEAR = 1000
MAX_YEAR = 9999

#: The largest cell, in bytes of UTF-8 as written in the CSV file (quotes excluded).
MAX_CELL_BYTES = 1 << 20

#: A sanity limit on the records of one table (the largest table today has a few hundred).
#: Sized for the benchmarks' 10M-row diff pairs (NEW holds 10.05M rows; about 9 GB of
#: memory); past that, see ARCHITECTURE.md, "Scaling beyond one machine".
MAX_ROWS = 20_000_000

#: The largest data file read, in bytes, checked on the open file before any of it is
#: read: a pull request's multi-gigabyte file is refused in one line instead of filling
#: memory. Sized for the benchmarks' 10M-row diff pairs (3.5 GB for the largest table).
MAX_FILE_BYTES = 1 << 32

#: The largest ``datapackage.json``, in bytes: the real one is a few tens of kilobytes.
MAX_DESCRIPTOR_BYTES = 1 << 24

#: At most this many problems of one code are listed per file; the rest are counted.
MAX_PROBLEMS_PER_CODE = 100


def csv_block_size(fields: int) -> int:
    """Bytes the Arrow CSV reader reads at a time: more than the largest record allowed.

    A record larger than the block makes Arrow fail, so the block holds ``fields``
    cells of the largest size, each quoted with every character a doubled quote.
    """
    return max(1 << 24, (fields + 1) * (2 * MAX_CELL_BYTES + 3))


def date_in_range(year: int) -> bool:
    """True when ``year`` is within the documented date range."""
    return MIN_YEAR <= year <= MAX_YEAR
