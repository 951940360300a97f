"""Regenerate docs/data-dictionary.md from datapackage.json.

    python scripts/make_data_dictionary.py
"""

from pathlib import Path

from tradecurbs.datapackage import Package
from tradecurbs.dictionary import render_data_dictionary

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    target = ROOT / "docs" / "data-dictionary.md"
    target.write_text(render_data_dictionary(Package.from_directory(ROOT)), encoding="utf-8")
    print(f"wrote {target}")
