"""The catalogue of problem codes: each code's title, what it means and how to fix it.

Every code a check can report is here, once. ``docs/validate.md`` carries the table
that ``render_markdown`` makes from it (``python scripts/make_validate_codes.py``),
and a test fails when the two disagree or a check reports a code that is not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import limits


@dataclass(frozen=True)
class Code:
    """One problem code."""

    code: str
    layer: str
    title: str
    description: str
    fix: str


_L = limits
CODES: tuple[Code, ...] = (
    # reading
    Code("path-error", "reading", "path leaves the package",
         "A resource's path is absolute, holds `..`, a backslash or a drive letter.",
         "Name the file by a relative path inside the package."),
    Code("file-missing", "reading", "file missing", "The file a resource names does not exist.",
         "Add the file, or fix the resource's path in datapackage.json."),
    Code("file-unsafe", "reading", "not a regular file inside the package",
         "The path is a symbolic link, goes through one, or is a FIFO, socket, device or directory. "
         "Its content is never read or printed.",
         "Replace it with a regular file inside the package."),
    Code("file-too-large", "reading", "file too large",
         f"The file holds more than {_L.MAX_FILE_BYTES:,} bytes, the limit for one data file shared by every "
         "reader. It is refused before any of it is read.",
         "Check for junk or a wrong file; a table this large belongs in a release, not a pull request."),
    Code("file-empty", "reading", "file empty", "The file has no bytes, or only whitespace.",
         "Write at least the header line."),
    Code("encoding-error", "reading", "not UTF-8 text",
         "A byte that is not UTF-8, a byte order mark, or a NUL byte (a binary file).",
         "Save the file as UTF-8 without BOM."),
    Code("unclosed-quote", "reading", "quote left open",
         "A quoted cell opens on this line and is never closed, or a later quote closes it with text "
         "after it. Reported at the line where the quote opens; the table is not read further.",
         'Add the closing quote; write a quote inside a cell twice (`""`).'),
    Code("line-break", "reading", "record spans lines",
         "A record starts on this line and runs on to a later one, so a field holds a line break, but the "
         'field is not marked `"multiline": true`. Usually a stray quote merged two rows into one.',
         "Remove the stray quote (or close the one left open) so each record is on its own line."),
    Code("blank-line", "reading", "blank line", "A line with nothing on it, between or after records.",
         "Delete it (`tradecurbs format` does)."),
    Code("row-length", "reading", "wrong number of cells",
         "The row has more or fewer cells than the header.",
         "Check for a missing or extra comma; quote a cell that holds a comma."),
    Code("csv-error", "reading", "not CSV", "The file's structure cannot be read as CSV at all.",
         "Fix the line named; `tradecurbs format` cannot rewrite a file it cannot read."),
    Code("header-mismatch", "reading", "header is not the schema's",
         "The header line is not the schema's field names in order: missing, extra or repeated names, "
         "or the same names in another order.",
         "Write the header as the message's expected line."),
    Code("cell-too-large", "reading", "cell over the size limit",
         f"A cell holds more than {_L.MAX_CELL_BYTES:,} bytes, the one limit shared by validate, load, diff "
         "and release build.", "Shorten the value; long texts belong in the source, not the table."),
    Code("too-many-rows", "reading", "table over the row limit",
         f"The table has more than {_L.MAX_ROWS:,} records, a sanity limit shared by every reader.",
         "Split the table, or remove the junk rows."),
    Code("parquet-error", "reading", "Parquet file unreadable",
         "A Parquet resource cannot be read or its columns are not the schema's.",
         "Rebuild the file from the CSV."),
    # structure
    Code("type-error", "structure", "value of the wrong type",
         f"Not the field's type: integers are whole numbers, numbers are finite decimals (no NaN or INF), "
         f"dates are YYYY-MM-DD in years {_L.MIN_YEAR}-{_L.MAX_YEAR}, booleans true or false.",
         "Write the value in the field's type."),
    Code("required-error", "structure", "required value empty", "A required field (or a key field) is empty.",
         "Give the value."),
    Code("constraint-error", "structure", "constraint not met",
         "The value is not one of the enum, does not match the pattern (whole value), or is below the "
         "minimum or above the maximum.", "Use an allowed value."),
    Code("unique-error", "structure", "unique field repeats", "A field marked unique repeats an earlier row's value.",
         "Give each record its own value."),
    Code("primary-key", "structure", "primary key repeats", "The primary key repeats an earlier row's.",
         "Give each record its own key, or merge the two records."),
    Code("schema-error", "structure", "constraint cannot run",
         "A constraint in datapackage.json cannot be checked (a broken pattern, a foreign key to a table the "
         "package does not have).", "Fix the descriptor."),
    # relations
    Code("foreign-key", "relations", "reference to nothing",
         "A value of a schema foreign key is not a value of the table it refers to.",
         "Use an existing value, or add that record."),
    # rules (validation/rules.json)
    Code("date-order", "rules", "dates out of order", "A later date of a pair comes before the earlier one.",
         "Check both dates."),
    Code("status-needs-date", "rules", "status without its date",
         "The record's status needs a date field that is empty.", "Give the date, or change the status."),
    Code("min-max", "rules", "minimum above maximum", "A minimum rate exceeds its maximum.", "Swap or fix them."),
    Code("self-target", "rules", "jurisdiction targets itself",
         "The jurisdiction that acts is among those it targets.", "Remove it from the list."),
    Code("future-date", "rules", "date in the future",
         "A date after today, in a field that is not a deadline or an expiry.", "Check the date."),
    Code("https-url", "rules", "not an https address", "A source url that is not https://.",
         "Link the https page."),
    Code("hs-code-format", "rules", "HS code malformed",
         "An HS code item is not 2, 4, 6 or more digits.", "Write HS codes as digits without dots."),
    Code("hs-code-unknown", "rules", "HS code unknown (warning)",
         "An HS code is not in the HS 2022 nomenclature (longer codes are checked by their 6- or 4-digit "
         "prefix).", "Check the code."),
    Code("list-item", "rules", "list item empty or padded",
         "A list field has an empty item or an item with spaces around it.",
         "Remove the doubled or trailing delimiter; `tradecurbs format` trims items."),
    Code("list-reference", "rules", "list item refers to nothing",
         "An item of a list field (targets, sources, related records) is not a value of the tables it refers to.",
         "Use an existing value, or add that record."),
    Code("event-record", "rules", "step of no record",
         "A step in measure_events names a record that its table (by the id's prefix) does not hold, or an id "
         "without a table prefix.", "Add the record, or correct the record_id."),
    Code("event-kind", "rules", "step kind foreign to the table",
         "A step's kind is not one its record's table can have (a ruling on an advisory, a withdrawal of a case).",
         "Use one of the kinds listed in docs/history.md."),
    Code("event-future", "rules", "unscheduled step in the future",
         "A step dated after today is not marked scheduled.", "Mark it scheduled=true, or correct the date."),
    Code("event-overdue", "rules", "scheduled day passed (warning)",
         "A scheduled step's day has passed, or a case is still open after its deadline.",
         "Record what happened, with its source."),
    Code("history-agrees", "rules", "record disagrees with its history",
         "A record's status or a date field is not what its steps in measure_events say (docs/history.md); an "
         "in-force measure whose history has no dated in-force step is a warning.",
         "Correct the field, or add the missing step with its source."),
    # hygiene
    Code("whitespace", "hygiene", "whitespace around a value", "A cell starts or ends with whitespace.",
         "`tradecurbs format` trims it."),
    Code("formula", "hygiene", "text a spreadsheet would run",
         "A text cell, or an item of a list, starts with = + - or @ and is not a number.",
         "Reword the start of the text."),
    Code("unsorted", "hygiene", "rows out of key order", "Rows are not sorted by the primary key.",
         "`tradecurbs format` sorts them."),
    Code("line-ending", "hygiene", "CR or CRLF line endings",
         "The file holds a carriage return, as a line ending or inside a cell.",
         "`tradecurbs format` writes every line break as LF."),
    Code("duplicate-row", "hygiene", "row repeated exactly", "A row repeats an earlier one in every field.",
         "Delete one."),
    Code("unused-source", "hygiene", "source nothing cites (warning)",
         "A source that no record cites in its source_ids.", "Cite it, or remove it."),
)

BY_CODE: dict[str, Code] = {c.code: c for c in CODES}
LAYERS = ("reading", "structure", "relations", "rules", "hygiene")
BEGIN = "<!-- problem codes: generated from src/tradecurbs/checks/catalogue.py; do not edit by hand -->"
END = "<!-- end of problem codes -->"


def render_markdown() -> str:
    """The problem-code table of docs/validate.md, markers included."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [BEGIN, "", "| code | layer | title | what it means | fix |", "|---|---|---|---|---|"]
    for layer in LAYERS:
        for c in CODES:
            if c.layer == layer:
                lines.append(f"| `{c.code}` | {layer} | {cell(c.title)} | {cell(c.description)} | {cell(c.fix)} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def update_document(text: str) -> str:
    """``text`` (docs/validate.md) with its problem-code table replaced by the catalogue's."""
    start, end = text.index(BEGIN), text.index(END) + len(END) + 1
    return text[:start] + render_markdown() + text[end:]
