"""benchmarks/report.py turns the scripts' JSON rows into RESULTS.md (sample rows, no timing)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from benchmarks import report

ROWS = [
    {"figure": "json-stat2 parse vs pxwebpy", "goal": ">= 20x", "measured": "31.2 ms",
     "value": 0.0312, "unit": "s", "peer": "pxwebpy 0.6: 900 ms", "peer_value": 0.9,
     "ratio": 28.846, "runs": 5, "stat": "median", "command": "python benchmarks/bench_parse.py",
     "met": True},
    {"figure": "peak RSS | refresh", "goal": "< 1 GiB", "measured": "1.3 GiB", "value": 1.3,
     "unit": "GiB", "peer": None, "peer_value": None, "ratio": None, "runs": 1,
     "stat": "max", "command": "python benchmarks/bench_memory.py", "met": False},
]  # fmt: skip


def test_report_writes_one_table_row_per_json_row(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "bench_a.json").write_text(json.dumps(ROWS), "utf-8")
    (out / "bench_broken.json").write_text("{not json", "utf-8")
    (out / "bench_dict.json").write_text(json.dumps({"figure": "x"}), "utf-8")
    results = tmp_path / "RESULTS.md"
    assert report.main(["--out-dir", str(out), "--results", str(results)]) == 0
    text = results.read_text("utf-8")
    table = [line for line in text.splitlines() if line.startswith("| json-stat2")]
    assert table[0] == (
        "| json-stat2 parse vs pxwebpy | >= 20x | 31.2 ms | pxwebpy 0.6: 900 ms | 28.85× | yes |"
    )
    assert "| peak RSS \\| refresh | < 1 GiB | 1.3 GiB |  |  | **no** |" in text
    assert "`python benchmarks/bench_memory.py`" in text and "| max |" in text
    assert "bench_broken.json: not readable JSON" in text
    assert "bench_dict.json: expected a list of rows, got dict" in text


def test_render_names_date_commit_and_cores():
    text = report.render([("bench_a", ROWS[0])], [], when=datetime(2026, 12, 1, 15, tzinfo=UTC),
                         commit="abc1234", cores=2)  # fmt: skip
    assert "Date 2026-12-01 15:00 UTC, commit abc1234, 2 cores" in text
    assert "do not edit by hand" in text


def test_no_rows_exits_1_with_a_note(tmp_path):
    results = tmp_path / "RESULTS.md"
    assert report.main(["--out-dir", str(tmp_path), "--results", str(results)]) == 1
    assert "No rows: run `make bench` first." in results.read_text("utf-8")


def test_a_section_a_script_wrote_between_markers_is_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "bench_x.json").write_text(json.dumps([{"figure": "f", "goal": "g", "measured": "1 s"}]))
    results = tmp_path / "RESULTS.md"
    section = "<!-- first-visit:begin -->\n### before\n| a | b |\n<!-- first-visit:end -->"
    results.write_text("# old report\n| stale | row |\n\n" + section + "\n")
    assert report.main(["--out-dir", str(out), "--results", str(results)]) == 0
    text = results.read_text()
    assert "| f | g | 1 s |" in text and "stale" not in text
    assert text.count(section) == 1
