"""`tradecurbs measures`, `current`, `history` and `timeline`, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner
from conftest import REPO
from test_measures import small  # noqa: F401 - the small package fixture

import tradecurbs
from tradecurbs.cli import main
from tradecurbs.outputs.timeline import data_hash, embedded_hash, timeline_data
from tradecurbs.records import frame_records


def _run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_measures_json_equals_the_library_result(small):  # noqa: F811
    result = _run("measures", "--against", "USA", "--in-force-on", "2025-04-01", "--format", "json")
    assert result.exit_code == 0, result.output
    expected, _ = frame_records(tradecurbs.measures(target="USA", in_force_on="2025-04-01"))
    assert json.loads(result.output) == expected and len(expected) == 2


def test_cli_measures_text_csv_and_markdown_show_the_rows(small):  # noqa: F811
    text = _run("measures", "--by", "CHN", "--table", "export_controls")
    assert text.exit_code == 0 and "ec-chn-2025-graphite-wld" in text.output and "(2 rows)" in text.output
    csv_out = _run("measures", "--hs", "2504", "--format", "csv").output.splitlines()
    assert csv_out[0].startswith("table,id,") and len(csv_out) == 2 and "2504" in csv_out[1]
    markdown = _run("measures", "--text", "gallium", "--format", "markdown").output
    assert markdown.startswith("| table | id |") and "ec-chn-2025-gallium" in markdown


def test_cli_measures_bad_date_is_a_usage_error_not_a_traceback(small):  # noqa: F811
    result = _run("measures", "--in-force-on", "2025-02-30")
    assert result.exit_code == 2 and "Traceback" not in result.output and "--in-force-on" in result.output


def test_cli_current_json_equals_the_library_result(small):  # noqa: F811
    result = _run("current", "--table", "travel_advisories", "--on", "2026-01-01", "--format", "json")
    expected, _ = frame_records(tradecurbs.current(table="travel_advisories", on="2026-01-01"))
    assert result.exit_code == 0 and json.loads(result.output) == expected
    assert [r["id"] for r in expected] == ["ta-chn-2025-jpn-travel-2"]


def test_cli_history_json_equals_the_library_and_unknown_id_exits_2(small):  # noqa: F811
    result = _run("history", "ec-chn-2025-gallium", "--format", "json")
    expected, _ = frame_records(tradecurbs.history("ec-chn-2025-gallium"))
    assert result.exit_code == 0 and json.loads(result.output) == expected
    missing = _run("history", "xx-nothing")
    assert missing.exit_code == 2 and "unknown record 'xx-nothing'" in missing.output
    assert "Traceback" not in missing.output


def test_cli_timeline_writes_png_and_svg_with_the_content_hash(small, tmp_path):  # noqa: F811
    for name in ("t.png", "t.svg"):
        out = tmp_path / name
        result = _run("timeline", "--by", "CHN", "--against", "USA", "--since", "2025-01-01", "--until",
                      "2025-12-31", "--include-wld", "--out", str(out))
        assert result.exit_code == 0, result.output
        assert "wrote" in result.output and "(3 measures)" in result.output
        data = timeline_data("CHN", "USA", "2025-01-01", "2025-12-31", include_wld=True)
        assert embedded_hash(out) == data_hash(data)
    assert [lane["id"] for lane in data["lanes"]] == ["ec-chn-2025-gallium", "tr-chn-2025-widgets",
                                                "ec-chn-2025-graphite-wld"]
    bad = _run("timeline", "--by", "CHN", "--against", "USA", "--out", str(tmp_path / "t.jpg"))
    assert bad.exit_code == 2 and ".png or .svg" in bad.output


def test_cli_timeline_without_matplotlib_says_which_extra_to_install(small, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = _run("timeline", "--by", "CHN", "--against", "USA", "--out", str(tmp_path / "t.png"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ['Error: the timeline needs matplotlib: pip install "tradecurbs[plot]"']


def test_timeline_picture_in_docs_is_not_stale():
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from make_timeline import OUT, picture_data
    finally:
        sys.path.pop(0)
    assert embedded_hash(OUT) == data_hash(picture_data()), \
        "docs/china-japan-timeline.png is stale: run python scripts/make_timeline.py"
    assert "docs/china-japan-timeline.png" in (REPO / "README.md").read_text(encoding="utf-8")


def test_measures_command_end_to_end_in_a_fresh_process():
    result = subprocess.run([sys.executable, "-m", "tradecurbs", "measures", "--by", "CHN", "--against", "JPN",
                             "--in-force-on", "2026-01-15", "--format", "json"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    named = {r["id"] for r in rows if r["target_match"] == "named"}
    assert "ec-chn-2026-dual-use-japan-military" in named and all(r["status"] for r in rows)
    assert any(r["target_match"] == "WLD" for r in rows)
