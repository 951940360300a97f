"""Same data, every path: CSV -> canonical table -> Parquet/CSV -> DataFrame loses nothing."""

from __future__ import annotations

import string
from datetime import date

import pandas as pd
from conftest import SOURCE, write_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradecurbs.datapackage import Package
from tradecurbs.loading import load_resource, read_table
from tradecurbs.releases.build import csv_bytes, write_parquet

slug = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8)
text = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)
maybe_text = st.none() | text
dates = st.none() | st.dates(min_value=date(1000, 1, 1)).map(lambda d: d.isoformat())  # the documented range
rates = st.none() | st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
codes = st.lists(st.sampled_from(["CHN", "JPN", "USA", "EUU", "KOR"]), max_size=3)


@st.composite
def remedy(draw, index: int = 0):
    return {
        "id": f"tr-{draw(slug)}",
        "investigating_jurisdiction": draw(st.sampled_from(["CHN", "EUU", "USA"])),
        "authority": draw(text),
        "remedy_type": draw(st.sampled_from(["anti_dumping", "countervailing", "safeguard"])),
        "case_reference": draw(maybe_text),
        "product": draw(text),
        "hs_codes": draw(st.lists(st.from_regex(r"[0-9]{4,8}", fullmatch=True), max_size=3)),
        "exporting_jurisdictions": draw(codes),
        "petitioners": draw(st.lists(text.filter(lambda t: ";" not in t), max_size=2)),
        "initiated_on": draw(dates),
        "preliminary_on": draw(dates),
        "preliminary_rate_min_pct": draw(rates),
        "final_rate_max_pct": draw(rates),
        "status": draw(st.none() | st.sampled_from(["initiated", "final_measures"])),
        "summary": draw(maybe_text),
        "source_ids": [SOURCE["id"]],
    }


def _unique(rows):
    seen, out = set(), []
    for row in rows:
        if row["id"] not in seen:
            seen.add(row["id"])
            out.append(row)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(remedy(), max_size=6).map(_unique))
def test_csv_parquet_and_release_csv_load_identically(tmp_path_factory, rows):
    directory = write_package(tmp_path_factory.mktemp("p"), {"sources": [SOURCE], "trade_remedies": rows})
    package = Package.from_directory(directory)
    resource = package.resource("trade_remedies")
    from_csv = load_resource(package, "trade_remedies")

    table = read_table(package, resource)
    write_parquet(table, directory / "data" / "trade_remedies.parquet")
    (directory / "data" / "again.csv").write_bytes(csv_bytes(table, resource))
    descriptor = dict(package.descriptor)
    spec = next(r for r in descriptor["resources"] if r["name"] == "trade_remedies")
    spec["alternates"] = [{"path": "data/trade_remedies.parquet", "format": "parquet"}]
    with_parquet = Package(descriptor, package.root, package.label)
    from_parquet = load_resource(with_parquet, "trade_remedies", format="parquet")
    spec["path"] = "data/again.csv"
    from_rewritten_csv = load_resource(Package(descriptor, package.root, package.label), "trade_remedies")

    pd.testing.assert_frame_equal(from_csv, from_parquet)
    pd.testing.assert_frame_equal(from_csv, from_rewritten_csv)
    # Nothing lost relative to what was written:
    assert from_csv["exporting_jurisdictions"].tolist() == [r["exporting_jurisdictions"] for r in rows]
    assert from_csv["petitioners"].tolist() == [r["petitioners"] for r in rows]
    expected_rates = [r["final_rate_max_pct"] for r in rows]
    assert [None if pd.isna(v) else v for v in from_csv["final_rate_max_pct"]] == expected_rates
    expected_dates = [r["initiated_on"] for r in rows]
    assert [None if pd.isna(v) else v.date().isoformat() for v in from_csv["initiated_on"]] == expected_dates
