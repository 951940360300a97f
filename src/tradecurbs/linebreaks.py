"""Line breaks of a CSV file, counted fast, and the guard that lets Arrow split blocks at any line.

Arrow's CSV reader splits a file into blocks parsed on every core. Told that no value
holds a line break (``newlines_in_values=False``), it cuts blocks at any line feed and
parses faster (350 MB on two cores, as text: 0.75 s against 1.7 s; typed: 0.63 s against
0.85 s); told nothing, it must scan for quotes first. No field of tradecurbs' schema is multi-line, so the fast
cut is right for every canonical file, but a quoted line break (a multi-line field, or a
quote left open) may then be cut in two at a block boundary and misread.

``one_record_per_line`` is the guard that makes the fast cut safe: the parse is kept
only when it has exactly one record per line after the header and no value holds a line
break. A parse that cuts a quoted line break has fewer records than lines (the open row
spans the break or is rolled back at the block's end), or a value holding the break, so
it fails the guard and the file is parsed again the careful way. The lines are counted by
the ``CountingReader`` Arrow reads the file through, which also checks its UTF-8.
"""

from __future__ import annotations

import errno
import os
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import mmap

    import pyarrow as pa

#: Bytes counted at a time: bounded scratch memory, whatever the file's size.
_CHUNK = 1 << 22


def count_line_feeds(data: bytes | memoryview) -> int:
    """How many LF bytes ``data`` holds (numpy, a few MB at a time: about 3x ``bytes.count``)."""
    import numpy as np

    view = np.frombuffer(data, dtype=np.uint8)
    return sum(int(np.count_nonzero(view[start:start + _CHUNK] == 10)) for start in range(0, len(view), _CHUNK))


def grew_past(limit: int) -> OSError:
    """The error of a file that became longer than ``limit`` bytes while it was read."""
    return OSError(errno.EFBIG, f"the file grew past the limit of {limit:,} bytes while being read")


def physical_lines(raw: bytes | mmap.mmap) -> int:
    """Lines of the file as every reader here counts them: ended by LF, CRLF or a lone CR.

    ``raw`` may be a memory map (only ``len``, slicing, ``find`` and the buffer are used).
    """
    if not len(raw):
        return 0
    breaks = count_line_feeds(raw)
    if raw.find(b"\r") >= 0:
        data = bytes(raw)
        breaks += data.count(b"\r") - data.count(b"\r\n")
    return breaks + (raw[-1:] not in (b"\n", b"\r"))


class CountingReader:
    """A binary file for Arrow's CSV reader that counts the line feeds of the bytes it hands
    over and checks that they are UTF-8, so the guard needs no second pass over the file (a
    pass of its own cost about 0.2 s of CPU at 350 MB, taken from the parse's threads) and
    Arrow need not check each text value itself (5% of a diff's CPU time). A block of
    ASCII, the common case, is cleared by its largest byte; only other blocks are decoded.

    A file with a descriptor is read at absolute offsets (``os.preadv``) into buffers of
    Arrow's memory pool, which reuses the memory of blocks already parsed; Python's own
    reads would take fresh pages from the system for every block.

    ``lines`` is known only once the whole file was read in one pass from its start; a
    reader that stopped early, or seeked anywhere but the start, gives None, and the guard
    then refuses the parse. Past ``limit`` bytes a read raises OSError (EFBIG): the size
    was checked when the file was opened, and this catches a file that grows after.
    """

    def __init__(self, source: BinaryIO, limit: int | None = None) -> None:
        import io

        self._source = source
        self._limit = limit
        try:
            self._fileno: int | None = source.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            self._fileno = None
        self._offset = 0
        self._start()

    def _start(self) -> None:
        import codecs

        self._feeds, self._last, self._handed = 0, -1, 0
        self._complete, self._whole_pass, self._utf8 = False, True, True
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def read(self, size: int = -1) -> bytes | pa.Buffer:
        import numpy as np

        asked = size
        if size < 0 and self._fileno is not None:
            size = max(os.fstat(self._fileno).st_size - self._offset, 0)
        if self._limit is not None:  # never more than one byte past the limit, whatever is asked
            allowed = self._limit - self._handed + 1
            size = allowed if size < 0 else min(size, allowed)
        data = self._source.read(size) if self._fileno is None else self._pread(size)
        self._handed += len(data)
        if self._limit is not None and self._handed > self._limit:
            raise grew_past(self._limit)
        if len(data):
            view = np.frombuffer(data, dtype=np.uint8)
            self._feeds += count_line_feeds(view)
            self._last = int(view[-1])
            if self._utf8 and (int(view.max()) >= 0x80 or self._decoder.getstate()[0]):
                self._check_utf8(data, final=False)
        elif asked != 0:
            self._complete = True
            self._check_utf8(b"", final=True)
        return data

    def _check_utf8(self, data: bytes | pa.Buffer, final: bool) -> None:
        """Decode ``data`` as the next part of the file (a character may straddle blocks)."""
        try:
            self._decoder.decode(data, final)
        except UnicodeDecodeError:
            self._utf8 = False

    def _pread(self, size: int) -> pa.Buffer:
        import pyarrow as pa

        buffer = pa.allocate_buffer(size)
        view, filled = memoryview(buffer), 0
        while filled < size:
            got = os.preadv(self._fileno, [view[filled:]], self._offset + filled)
            if not got:
                break
            filled += got
        self._offset += filled
        return buffer if filled == size else buffer.slice(0, filled)

    def seek(self, offset: int, whence: int = 0) -> int:
        if self._fileno is None:
            position = self._source.seek(offset, whence)
        else:
            base = {0: 0, 1: self._offset, 2: os.fstat(self._fileno).st_size}[whence]
            position = self._offset = base + offset
        self._start()
        self._whole_pass, self._handed = position == 0, position
        return position

    def lines(self) -> int | None:
        """Lines ended by LF (or by the file's end) of the whole file, or None if it was not
        read whole in one pass from its start."""
        if not (self._complete and self._whole_pass):
            return None
        return self._feeds + (self._last not in (-1, 10))

    def utf8(self) -> bool:
        """Whether the whole file was read, in one pass from its start, and is UTF-8."""
        return self._complete and self._whole_pass and self._utf8

    def tell(self) -> int:
        return self._source.tell() if self._fileno is None else self._offset

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return self._source.closed

    def close(self) -> None:
        self._source.close()


def holds_line_break(table: pa.Table) -> bool:
    """Whether any text value of ``table`` (dictionary values included) holds a CR or LF byte."""
    import numpy as np
    import pyarrow as pa

    from .arrays import text_offsets

    for column in table.columns:
        for chunk in column.chunks:
            if pa.types.is_dictionary(chunk.type):
                chunk = chunk.dictionary
            if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)) or not len(chunk):
                continue
            offsets = text_offsets(chunk)
            data = chunk.buffers()[2]
            if data is None:
                continue
            values = np.frombuffer(data, dtype=np.uint8)[int(offsets[0]): int(offsets[-1])]
            for start in range(0, len(values), _CHUNK):
                part = values[start:start + _CHUNK]
                # A block whose smallest byte is above CR is cleared in one pass, with no
                # scratch array; LF and CR are looked for only otherwise.
                if int(part.min()) <= 13 and (np.count_nonzero(part == 10) or np.count_nonzero(part == 13)):
                    return True
    return False


def one_record_per_line(table: pa.Table, lines: int | None) -> bool:
    """The guard of a parse that cut blocks at any line feed: one record per line after the
    header, and no value holding a line break (see the module's docstring)."""
    return lines is not None and table.num_rows == lines - 1 and not holds_line_break(table)
