"""What a command imports: the everyday paths stay light (measured by the benchmarks, asserted here)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate_helpers import VALID

from tradecurbs.checks import reading, structure
from tradecurbs.datapackage import Package


def imported_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(m for m in sys.modules if '.' not in m)))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    return set(out.stdout.split())


def test_validate_of_a_valid_package_does_not_import_pandera_or_frictionless():
    modules = imported_after(
        "from tradecurbs.cli import main\n"
        "try:\n    main(['validate', '.'])\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n")
    assert not modules & {"pandera", "frictionless"}


def test_import_and_diff_never_import_an_outside_engine():
    modules = imported_after("import tradecurbs\ntradecurbs.diff('.', '.')")
    assert not modules & {"duckdb", "polars", "frictionless", "pandera"}


CELLS = st.sampled_from(["", "bogus", "-5", "NaN", "2025-02-30", "2025-1-5", "1e3", "ZZZ", "tr-chn-2025-widgets",
                         "anti_dumping", "initiated", "10.5", " x", "0000-01-01"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_structure_first_pass_never_hides_what_pandera_finds(make_package, data):
    rows = {table: [dict(r) for r in records] for table, records in VALID.items()}
    table = data.draw(st.sampled_from(["trade_remedies", "travel_advisories", "sources"]))
    record = data.draw(st.sampled_from(rows[table]))
    field = data.draw(st.sampled_from(sorted(record) + ["case_reference", "level"]))
    record[field] = data.draw(CELLS)
    package = Package.from_directory(make_package(rows))
    text, _ = reading.read_text_table(package, package.resource(table))
    if text is None:
        return
    with_pandera = _pandera_only(text)
    assert structure._passes(text) == (with_pandera == []), (field, record[field], with_pandera)


def _pandera_only(text):
    """The structure problems pandera's full schema finds (the first pass turned off)."""
    original = structure._passes
    structure._passes = lambda _text: False
    try:
        return structure.check_structure(text)
    finally:
        structure._passes = original
