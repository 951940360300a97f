"""How to cite one record: a sentence, BibTeX and CSL-JSON, naming the release and its date."""

from __future__ import annotations

import json
from typing import Any

AUTHOR = "tradecurbs contributors"


def citation_text(title: str, record_id: str, version: str, released_on: str, url: str) -> str:
    """A reference a reader can paste: author, year, title, record id, release, date, URL."""
    year = released_on[:4]
    return (f"{AUTHOR} ({year}). \u201c{title}\u201d, record {record_id}. tradecurbs data release {version} "
            f"of {released_on}. {url}")


def citation_bibtex(title: str, record_id: str, version: str, released_on: str, url: str) -> str:
    """A BibTeX @misc entry; braces and backslashes in the title are escaped."""
    safe = "".join("\\" + c if c in "{}%&$#_\\" else c for c in title)
    key = "tradecurbs-" + record_id
    return (f"@misc{{{key},\n  author = {{{{{AUTHOR}}}}},\n  title = {{{safe}}},\n"
            f"  year = {{{released_on[:4]}}},\n  note = {{tradecurbs data release {version}, record {record_id}}},\n"
            f"  howpublished = {{\\url{{{url}}}}},\n  urldate = {{{released_on}}}\n}}")


def citation_csl(title: str, record_id: str, version: str, released_on: str, url: str) -> dict[str, Any]:
    """CSL-JSON (the format Zotero and pandoc read) for the record as a dataset item."""
    year, month, day = (int(part) for part in released_on.split("-"))
    return {"id": f"tradecurbs-{record_id}", "type": "dataset", "title": title,
            "author": [{"literal": AUTHOR}], "issued": {"date-parts": [[year, month, day]]},
            "version": version, "number": record_id, "publisher": "tradecurbs", "URL": url}


def csl_json(item: dict[str, Any]) -> str:
    return json.dumps([item], indent=2, ensure_ascii=False, sort_keys=True)
