"""The data dictionary (docs/data-dictionary.md), generated from datapackage.json.

A test regenerates it and fails when the committed copy is stale, so the
documentation cannot drift from the contract.
"""

from __future__ import annotations

from .datapackage import Field, Package
from .schema import pandas_dtype_name


def _rules(field: Field) -> str:
    parts = []
    if field.required:
        parts.append("required")
    if field.unique:
        parts.append("unique")
    if field.enum:
        parts.append("one of: " + ", ".join(f"`{v}`" for v in field.enum))
    if field.pattern:
        parts.append(f"pattern `{field.pattern}`")
    if field.minimum is not None:
        parts.append(f"≥ {field.minimum:g}")
    if field.maximum is not None:
        parts.append(f"≤ {field.maximum:g}")
    if field.is_list:
        parts.append(f"list separated by `{field.delimiter}`")
    return "; ".join(parts)


def render_data_dictionary(package: Package) -> str:
    """Markdown describing every table and field of ``package``."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from `datapackage.json` by `python scripts/make_data_dictionary.py`; do not edit by hand.",
        "",
    ]
    for resource in package.resources.values():
        key = ", ".join(f"`{k}`" for k in resource.primary_key) or "none"
        lines += [f"## `{resource.name}`: {resource.title}", "", resource.description, "",
                  f"File `{resource.path}`. Primary key: {key}."]
        for fk in resource.foreign_keys:
            target = fk.reference_table
            lines.append(
                f"Foreign key: {', '.join(f'`{f}`' for f in fk.fields)} → "
                f"`{target}`.{', '.join(f'`{f}`' for f in fk.reference_fields)}."
            )
        lines += ["", "| field | type | pandas dtype | rules | description |", "|---|---|---|---|---|"]
        for field in resource.fields:
            description = field.description.replace("|", "\\|")
            lines.append(
                f"| `{field.name}` | {field.type} | `{pandas_dtype_name(field)}` | {_rules(field).replace('|', chr(92) + '|')} | {description} |"
            )
        lines.append("")
    return "\n".join(lines)
