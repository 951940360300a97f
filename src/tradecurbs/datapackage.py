"""The package model: a ``datapackage.json`` plus the files it names.

The working tree, the copy bundled in the wheel, a built release and a downloaded
release are all packages; nothing downstream needs to know which one it has.
Only the standard library is imported here, so the CLI can use it cheaply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from .errors import PackageError, UnknownFieldError, UnknownTableError

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

    def __init__(self, descriptor: dict[str, Any], root: Traversable, label: str) -> None:
        self.descriptor = descriptor
        self.root = root
        self.label = label
        resources_spec = descriptor.get("resources")
        if not isinstance(resources_spec, list):
            raise PackageError(f"{label}: 'resources' must be a list")
        self.resources: dict[str, Resource] = {}
        for spec in resources_spec:
            if not isinstance(spec, dict) or not spec.get("name"):
                raise PackageError(f"{label}: every resource needs a 'name'")
            self.resources[spec["name"]] = Resource.from_descriptor(spec)

    @classmethod
    def from_directory(cls, path: str | Path) -> Package:
        """Read the package whose ``datapackage.json`` is in directory ``path``."""
        directory = Path(path)
        if directory.is_file() and directory.name == DESCRIPTOR:
            directory = directory.parent
        descriptor_path = directory / DESCRIPTOR
        if not descriptor_path.is_file():
            raise PackageError(f"{directory}: not a data package (no {DESCRIPTOR} there)")
        return cls(_read_descriptor(descriptor_path, str(descriptor_path)), directory, str(directory))

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
        """The file holding ``resource`` (in ``format``, default its own), under the package root."""
        _, path = resource.path_for(format)
        return self.root.joinpath(*path.split("/"))

    def __repr__(self) -> str:
        return f"Package({self.label!r}, version={self.version!r}, tables={self.table_names})"


def _read_descriptor(path: Traversable, label: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackageError(f"{label}: cannot read descriptor ({error})") from None
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
