"""Regenerate the problem-code table of docs/validate.md from the catalogue.

    python scripts/make_validate_codes.py
"""

from pathlib import Path

from tradecurbs.checks.catalogue import update_document

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    target = ROOT / "docs" / "validate.md"
    target.write_text(update_document(target.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {target}")
