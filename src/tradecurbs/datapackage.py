"""The package model: a ``datapackage.json`` plus the files it names.

The working tree, the copy bundled in the wheel, a built release and a downloaded
release are all packages; nothing downstream needs to know which one it has.
Only the standard library is imported here, so the CLI can use it cheaply.
"""

from __future__ import annotations

import errno
import io
import json
import math
import mmap
import os
import stat
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import limits
from .errors import FileTooLargeError, PackageError, UnknownFieldError, UnknownTableError, UnsafePathError

if TYPE_CHECKING:
    from .releases.registry import Release

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Field:
    """One column of a table, as its Table Schema declares it."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[Any, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    delimiter: str = ";"
    item_type: str = "string"
    format: str | None = None
    multiline: bool = False  # may a value hold a line break? (the custom property "multiline": true)

    @classmethod
    def from_descriptor(cls, spec: dict[str, Any]) -> Field:
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            raise PackageError(f"every field needs a 'name' (found {str(spec)[:60]!r})")
        constraints = spec.get("constraints") or {}
        if not isinstance(constraints, dict):
            raise PackageError(f"field {spec['name']!r}: 'constraints' must be an object")
        enum = constraints.get("enum")
        return cls(
            name=spec["name"],
            type=spec.get("type", "string"),
            description=spec.get("description", ""),
            required=bool(constraints.get("required", False)),
            unique=bool(constraints.get("unique", False)),
            enum=tuple(enum) if enum is not None else None,
            pattern=constraints.get("pattern"),
            minimum=constraints.get("minimum"),
            maximum=constraints.get("maximum"),
            delimiter=spec.get("delimiter", ";"),
            item_type=spec.get("itemType", "string"),
            format=spec.get("format"),
            multiline=spec.get("multiline") is True,
        )

    @property
    def is_list(self) -> bool:
        return self.type == "list"


@dataclass(frozen=True)
class ForeignKey:
    """`fields` of this table must exist in `reference_fields` of `reference_table`."""

    fields: tuple[str, ...]
    reference_table: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Resource:
    """One table of a package: its name, file and schema."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    format: str = "csv"
    alternates: tuple[tuple[str, str], ...] = ()  # (format, path): the same table in other formats
    descriptor: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_descriptor(cls, spec: dict[str, Any]) -> Resource:
        schema = spec.get("schema") or {}
        if not isinstance(schema, dict):
            raise PackageError(f"resource {spec.get('name')!r}: 'schema' must be an inline object")
        key = schema.get("primaryKey") or []
        foreign_keys = []
        for fk in schema.get("foreignKeys") or []:
            ref = fk.get("reference") or {}
            foreign_keys.append(
                ForeignKey(
                    fields=tuple(_as_list(fk.get("fields"))),
                    reference_table=ref.get("resource") or spec["name"],
                    reference_fields=tuple(_as_list(ref.get("fields"))),
                )
            )
        path = spec.get("path")
        if isinstance(path, list):
            raise PackageError(f"resource {spec.get('name')!r}: multipart paths are not supported")
        return cls(
            name=spec["name"],
            path=path or "",
            title=spec.get("title", spec["name"]),
            description=spec.get("description", ""),
            fields=tuple(Field.from_descriptor(f) for f in schema.get("fields") or []),
            primary_key=tuple(_as_list(key)),
            foreign_keys=tuple(foreign_keys),
            format=spec.get("format") or Path(path or "").suffix.lstrip(".") or "csv",
            alternates=tuple((a.get("format", ""), a.get("path", "")) for a in spec.get("alternates") or []),
            descriptor=spec,
        )

    @property
    def formats(self) -> list[str]:
        """The formats this table is available in: its own, then its alternates'."""
        return [self.format] + [fmt for fmt, _ in self.alternates]

    def path_for(self, format: str | None = None) -> tuple[str, str]:
        """(format, relative path) of the file holding this table in ``format`` (default: its own)."""
        if format is None or format == self.format:
            return self.format, self.path
        for alternate_format, path in self.alternates:
            if alternate_format == format:
                return format, path
        raise PackageError(
            f"table {self.name!r} has no {format} file; available formats: {', '.join(self.formats)}"
        )

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise UnknownFieldError(self.name, [name], self.field_names)

    def check_fields(self, names: list[str]) -> None:
        """Raise UnknownFieldError naming every name that is not a field."""
        unknown = [n for n in names if n not in self.field_names]
        if unknown:
            raise UnknownFieldError(self.name, unknown, self.field_names)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class Package:
    """A Data Package rooted at a directory (a real path or an installed resource)."""

    def __init__(self, descriptor: dict[str, Any], root: Traversable, label: str,
                 paths_checked: bool = True) -> None:
        """Check the descriptor's shape (PackageError naming the first fault) and model it.

        With ``paths_checked`` (the default) a resource path that leaves the package
        root is a PackageError too; ``validate`` turns it off to report such paths
        as problems, and every read still refuses them (``Package.read_bytes``).
        """
        check_descriptor(descriptor, label, paths_checked)
        self.descriptor = descriptor
        self.root = root
        self.label = label
        #: The verified release this package was opened from (``releases.package.open_release``), else None.
        self.release: Release | None = None
        self.resources: dict[str, Resource] = {}
        for spec in descriptor["resources"]:
            self.resources[spec["name"]] = Resource.from_descriptor(spec)

    @classmethod
    def from_directory(cls, path: str | Path, paths_checked: bool = True) -> Package:
        """Read the package whose ``datapackage.json`` is in directory ``path``."""
        directory = Path(path)
        if directory.name == DESCRIPTOR and not directory.is_dir():
            directory = directory.parent
        descriptor_path = directory / DESCRIPTOR
        if not os.path.lexists(descriptor_path):
            raise PackageError(f"{directory}: not a data package (no {DESCRIPTOR} there)")
        try:
            raw = read_inside(directory, DESCRIPTOR, limits.MAX_DESCRIPTOR_BYTES)
        except OSError as error:
            raise PackageError(f"{descriptor_path}: cannot read descriptor ({error.strerror or error})") from None
        return cls(_parse_descriptor(raw, str(descriptor_path)), directory, str(directory), paths_checked)

    @classmethod
    def bundled(cls) -> Package:
        """The package shipped inside the installed ``tradecurbs`` distribution."""
        root = bundled_root()
        return cls(_read_descriptor(root / DESCRIPTOR, "bundled datapackage.json"), root, "bundled data")

    @property
    def version(self) -> str | None:
        return self.descriptor.get("version")

    @property
    def table_names(self) -> list[str]:
        return list(self.resources)

    def resource(self, name: str) -> Resource:
        try:
            return self.resources[name]
        except KeyError:
            raise UnknownTableError(name, self.resources, self.label) from None

    def file(self, resource: Resource, format: str | None = None) -> Traversable:
        """The file holding ``resource`` (in ``format``, default its own), under the package root.

        UnsafePathError when the path leaves the root. Read it with ``read_bytes``, which
        also refuses links and special files; this is only its name.
        """
        _, path = resource.path_for(format)
        return self.root.joinpath(*check_relative(path).split("/"))

    def read_bytes(self, resource: Resource, format: str | None = None) -> bytes:
        """The bytes of ``resource``'s file, read only if it is a regular file inside the root.

        UnsafePathError for a path that leaves the root, a symbolic link on the way, or a
        file that is not a regular file (a FIFO or device); FileNotFoundError if absent.
        Nothing of such a file is read.
        """
        _, path = resource.path_for(format)
        if isinstance(self.root, Path):
            return read_inside(self.root, path)
        return self.root.joinpath(*check_relative(path).split("/")).read_bytes()  # an installed resource

    def map_bytes(self, resource: Resource, format: str | None = None) -> bytes | mmap.mmap:
        """``resource``'s file as read-only bytes, under the same rules as ``read_bytes``, but
        mapped into memory instead of copied: the page cache serves it, so a large file costs
        neither a copy nor fresh memory. The map has ``find``, slicing, ``len`` and the buffer
        protocol of ``bytes``. As with every tool that maps files, a file cut short by another
        process while it is mapped ends the process (SIGBUS)."""
        _, path = resource.path_for(format)
        if not isinstance(self.root, Path):
            return self.read_bytes(resource, format)
        with open_inside(self.root, path) as handle:
            try:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # an empty file cannot be mapped
                return b""
        if len(mapped) > limits.MAX_FILE_BYTES:  # grown since it was opened
            size = len(mapped)
            mapped.close()
            raise FileTooLargeError(path, size, limits.MAX_FILE_BYTES)
        return mapped

    def open_file(self, resource: Resource, format: str | None = None) -> BinaryIO:
        """``resource``'s file open for reading (binary), under the same rules as ``read_bytes``."""
        _, path = resource.path_for(format)
        if isinstance(self.root, Path):
            return open_inside(self.root, path)
        return io.BytesIO(self.read_bytes(resource, format))

    def write_bytes(self, resource: Resource, data: bytes) -> None:
        """Replace ``resource``'s file atomically, only if it is a regular file inside the root."""
        if not isinstance(self.root, Path):
            raise PackageError(f"{self.label}: the bundled package is read-only")
        write_inside(self.root, resource.path, data)

    def __repr__(self) -> str:
        return f"Package({self.label!r}, version={self.version!r}, tables={self.table_names})"


def _read_descriptor(path: Traversable, label: str) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PackageError(f"{label}: cannot read descriptor ({error})") from None
    return _parse_descriptor(raw, label)


def _parse_descriptor(raw: bytes, label: str) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PackageError(f"{label}: descriptor is not UTF-8 (byte offset {error.start})") from None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as error:
        raise PackageError(
            f"{label}:{error.lineno}:{error.colno}: invalid JSON in descriptor: {error.msg}"
        ) from None
    if not isinstance(descriptor, dict):
        raise PackageError(f"{label}: descriptor must be a JSON object")
    return descriptor


def bundled_root() -> Traversable:
    """Where the bundled package lives: inside the wheel, else the source checkout."""
    installed = resources.files("tradecurbs") / "_data"
    if installed.joinpath(DESCRIPTOR).is_file():
        return installed
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / DESCRIPTOR).is_file():
        return checkout
    raise PackageError("the bundled data is missing: reinstall tradecurbs")


# --- The descriptor's shape: checked before any command acts on a package. ---------------


def check_descriptor(descriptor: Any, label: str, paths_checked: bool = True) -> None:
    """Raise PackageError naming the first part of ``descriptor`` that has the wrong shape.

    Only the shape the code relies on is checked (objects, lists and strings where they
    are expected, field names that exist); what a value means is ``validate``'s job.
    """
    if not isinstance(descriptor, dict):
        raise PackageError(f"{label}: descriptor must be a JSON object")
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        raise PackageError(f"{label}: 'resources' must be a list")
    names: set[str] = set()
    for index, spec in enumerate(resources):
        where = f"{label}: resources[{index}]"
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
            raise PackageError(f"{where}: every resource needs a 'name' (a non-empty string)")
        name = spec["name"]
        where = f"{label}: resource {name!r}"
        if name in names:
            raise PackageError(f"{where}: the name is used by two resources")
        names.add(name)
        path = spec.get("path")
        if isinstance(path, list):
            raise PackageError(f"{where}: multipart paths are not supported")
        _optional(path, str, f"{where}: 'path'", "a string")
        for key in ("title", "description", "format"):
            _optional(spec.get(key), str, f"{where}: {key!r}", "a string")
        alternates = spec.get("alternates")
        _optional(alternates, list, f"{where}: 'alternates'", "a list")
        for alternate in alternates or []:
            if not isinstance(alternate, dict) or not all(isinstance(alternate.get(k), str) for k in ("format", "path")):
                raise PackageError(f"{where}: each of 'alternates' needs a 'format' and a 'path' (strings)")
        if paths_checked:
            for candidate in [path] + [a["path"] for a in alternates or []]:
                if candidate is not None:
                    try:
                        check_relative(candidate)
                    except UnsafePathError as error:
                        raise PackageError(f"{where}: {error}") from None
        _check_schema(spec.get("schema"), where)


def _check_schema(schema: Any, where: str) -> None:
    if schema is None:
        return
    if not isinstance(schema, dict):
        raise PackageError(f"{where}: 'schema' must be an inline object")
    fields = schema.get("fields")
    _optional(fields, list, f"{where}: 'fields'", "a list")
    known: list[str] = []
    for index, spec in enumerate(fields or []):
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
            raise PackageError(f"{where}: fields[{index}] needs a 'name' (a non-empty string)")
        field_where = f"{where}, field {spec['name']!r}"
        if spec["name"] in known:
            raise PackageError(f"{field_where}: two fields have this name")
        known.append(spec["name"])
        for key in ("type", "description", "format", "itemType"):
            _optional(spec.get(key), str, f"{field_where}: {key!r}", "a string")
        _optional(spec.get("multiline"), bool, f"{field_where}: 'multiline'", "true or false")
        delimiter = spec.get("delimiter")
        if delimiter is not None and (not isinstance(delimiter, str) or not delimiter):
            raise PackageError(f"{field_where}: 'delimiter' must be a non-empty string")
        constraints = spec.get("constraints")
        _optional(constraints, dict, f"{field_where}: 'constraints'", "an object")
        constraints = constraints or {}
        for key in ("required", "unique"):
            _optional(constraints.get(key), bool, f"{field_where}: constraint {key!r}", "true or false")
        _optional(constraints.get("enum"), list, f"{field_where}: constraint 'enum'", "a list")
        _optional(constraints.get("pattern"), str, f"{field_where}: constraint 'pattern'", "a string")
        for key in ("minimum", "maximum"):
            bound = constraints.get(key)
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))
                                      or not math.isfinite(bound)):
                raise PackageError(f"{field_where}: constraint {key!r} must be a finite number")
    key = schema.get("primaryKey")
    for name in _names(key, f"{where}: 'primaryKey'"):
        if name not in known:
            raise PackageError(f"{where}: primaryKey names {name!r}, which is not a field")
    foreign_keys = schema.get("foreignKeys")
    _optional(foreign_keys, list, f"{where}: 'foreignKeys'", "a list")
    for index, fk in enumerate(foreign_keys or []):
        fk_where = f"{where}: foreignKeys[{index}]"
        if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
            raise PackageError(f"{fk_where} must be an object with 'fields' and a 'reference' object")
        own = _names(fk.get("fields"), f"{fk_where}: 'fields'")
        reference = fk["reference"]
        _optional(reference.get("resource"), str, f"{fk_where}: reference 'resource'", "a string")
        targets = _names(reference.get("fields"), f"{fk_where}: reference 'fields'")
        if not own or len(own) != len(targets):
            raise PackageError(f"{fk_where}: 'fields' and the reference's 'fields' must name as many fields")
        for name in own:
            if name not in known:
                raise PackageError(f"{fk_where}: names {name!r}, which is not a field")


def _optional(value: Any, kind: type | tuple[type, ...], where: str, wanted: str) -> None:
    if value is not None and (not isinstance(value, kind) or (kind is not bool and isinstance(value, bool))):
        raise PackageError(f"{where} must be {wanted} (found {json.dumps(value)[:40]})")


def _names(value: Any, where: str) -> list[str]:
    """A string or list of strings (Table Schema allows both); PackageError otherwise."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise PackageError(f"{where} must be a field name or a list of field names (found {json.dumps(value)[:40]})")


# --- The package root is a wall: only regular files inside it are read or written. -------


def check_relative(path: str) -> str:
    """``path`` if it names a file inside the package root, else UnsafePathError.

    A Data Package names its files by relative POSIX paths: no leading ``/``, no
    ``..``, no backslash, no drive letter, no empty or ``.`` segment.
    """
    parts = path.split("/")
    if (not path or path.startswith("/") or "\\" in path or "\x00" in path or ":" in parts[0]
            or any(part in ("", ".", "..") for part in parts)):
        raise UnsafePathError(path, "leaves the package root or is not a plain relative path; a Data Package "
                              "names its files by relative paths inside it")
    return path


def _walk(root: Path, path: str) -> Path:
    """The file ``path`` under ``root``, every directory on the way checked with lstat."""
    current = root
    parts = check_relative(path).split("/")
    for part in parts[:-1]:
        current = current / part
        mode = os.lstat(current).st_mode  # FileNotFoundError when absent
        if stat.S_ISLNK(mode):
            raise UnsafePathError(path, f"goes through {_relative(root, current)!r}, a symbolic link; "
                                  "only files inside the package root are read")
        if not stat.S_ISDIR(mode):
            raise FileNotFoundError(2, "not a directory", str(current))
    target = current / parts[-1]
    mode = os.lstat(target).st_mode
    if stat.S_ISLNK(mode):
        raise UnsafePathError(path, "is a symbolic link; only regular files inside the package root are read")
    if not stat.S_ISREG(mode):
        raise UnsafePathError(path, f"is {_kind(mode)}, not a regular file; only regular files are read")
    return target


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "a special file"


def read_inside(root: Path, path: str, limit: int | None = None) -> bytes:
    """The bytes of regular file ``path`` inside ``root``; UnsafePathError for links, special
    files and paths that leave the root (nothing of those is read); FileTooLargeError for a
    file of more than ``limit`` bytes (by default ``limits.MAX_FILE_BYTES``, read when
    called); FileNotFoundError if absent.

    The file is opened without following a link and without blocking, and checked again
    once open, so a file swapped for a link or FIFO between the check and the read is refused.
    At most ``limit`` + 1 bytes are read, so a file that grows once open is refused too.
    """
    limit = limits.MAX_FILE_BYTES if limit is None else limit
    with open_inside(root, path, limit) as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise FileTooLargeError(path, len(raw), limit)
    return raw


def open_inside(root: Path, path: str, limit: int | None = None) -> BinaryIO:
    """Regular file ``path`` inside ``root``, open for reading in binary, checked as ``read_inside``
    checks it (nothing of a link, special file, file over ``limit`` bytes or path leaving the
    root is read)."""
    limit = limits.MAX_FILE_BYTES if limit is None else limit
    target = _walk(root, path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(target, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnsafePathError(path, "is a symbolic link; only regular files inside the package root are read")
        raise
    handle = os.fdopen(descriptor, "rb")
    try:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise UnsafePathError(path, f"is {_kind(status.st_mode)}, not a regular file; only regular files are read")
        if status.st_size > limit:
            raise FileTooLargeError(path, status.st_size, limit)
    except BaseException:
        handle.close()
        raise
    return handle


def write_inside(root: Path, path: str, data: bytes) -> None:
    """Replace regular file ``path`` inside ``root`` with ``data``, atomically.

    The new bytes go to a temporary file beside the target, are flushed to disk, and
    renamed over it, so a reader sees the old file or the new one, never half of it.
    A target that is a link, a special file or outside the root is refused.
    """
    import tempfile

    target = _walk(root, path)
    mode = stat.S_IMODE(os.lstat(target).st_mode)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise
