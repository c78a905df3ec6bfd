"""Faults of the APIs, each against a copy of a good warehouse: exit code, one line, nothing lost."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from etl import runlog
from etl.cli import app
from tests.faults.harness import EXIT_OK, NEW_STAMP, expected_exit

runner = CliRunner()
DATA, META, TABLE = r"/tables/TAB3200/data", r"/tables/TAB3200/metadata", r"/tables/TAB3200\?"
KOLADA = r"/data/kpi/N02268"


def rename_dimension(doc: dict) -> dict:
    """SCB renames a variable (Kon -> Kön) in metadata and data."""
    if "Kon" in doc.get("id", []):
        doc["id"] = ["Kön" if d == "Kon" else d for d in doc["id"]]
        doc["dimension"]["Kön"] = doc["dimension"].pop("Kon")
    return doc


def _edit_region(doc: dict, edit) -> dict:
    region = doc.get("dimension", {}).get("Region")
    if region:
        edit(region["category"])
    return doc


def add_code(doc: dict) -> dict:
    """A new region code appears in the metadata."""

    def edit(cat):
        cat["index"]["9999"] = len(cat["index"])
        cat["label"]["9999"] = "Nykommun"

    return _edit_region(doc, edit)


def remove_code(doc: dict) -> dict:
    """A region code disappears from the metadata (Stockholm, 0180)."""

    def edit(cat):
        if "0180" in cat["index"]:
            gone = cat["index"].pop("0180")
            cat["label"].pop("0180", None)
            cat["index"] = {k: (v - 1 if v > gone else v) for k, v in cat["index"].items()}

    return _edit_region(doc, edit)


def change_code(doc: dict) -> dict:
    """A region code changes (0180 -> 0180X) in the metadata."""

    def edit(cat):
        if "0180" in cat["index"]:
            cat["index"]["0180X"] = cat["index"].pop("0180")
            cat["label"]["0180X"] = cat["label"].pop("0180", "Stockholm")

    return _edit_region(doc, edit)


def scatter_region_index(doc: dict) -> dict:
    """Three Region categories moved to position 10**9 (the probe's corruption of a data answer)."""

    def edit(cat):
        for code in list(cat["index"])[:3]:
            cat["index"][code] = 10**9

    return _edit_region(doc, edit)


DEEP_JSON = b"[" * 100_000 + b"]" * 100_000

# (name, faults as (pattern, kind, params), outcome: "ok" | "fail" | "either", words in the message)
CASES = [
    ("429 burst with Retry-After", [(DATA, "429", {"times": 2, "retry_after": 0})], "ok", ""),
    ("429 without Retry-After", [(DATA, "429", {"times": 1, "retry_after": ""})], "ok", ""),
    ("429 for ever", [(DATA, "429", {"times": None, "retry_after": 0})], "fail", "429"),
    ("429 Retry-After beyond the cap", [(DATA, "429", {"times": 1, "retry_after": 9999})], "fail", "exceeds the cap"),
    ("500", [(DATA, "500", {"times": None})], "fail", "HTTP 500"),
    ("502", [(DATA, "status", {"times": None, "status": 502})], "fail", "HTTP 502"),
    ("503", [(DATA, "503", {"times": None})], "fail", "HTTP 503"),
    ("503 once", [(DATA, "503", {"times": 1})], "ok", ""),
    ("timeout", [(META, "timeout", {"times": None, "delay": 600})], "fail", "timed out"),
    ("slow drip", [(META, "drip", {"times": None, "delay": 0.1, "chunk": 20})], "fail", "deadline"),
    ("reset mid-body", [(META, "reset", {"times": None})], "fail", "broken"),
    ("reset once", [(META, "reset", {"times": 1})], "ok", ""),
    ("truncated body", [(DATA, "truncated", {"times": None})], "fail", "truncated"),
    ("cut JSON", [(DATA, "cut_json", {"times": None})], "fail", "JSON"),
    ("malformed JSON", [(DATA, "malformed_json", {"times": None})], "fail", "JSON"),
    ("wrong-shape SCB data", [(DATA, "wrong_shape", {"times": None})], "fail", DATA.rsplit("/", 1)[-1]),
    ("wrong-shape Kolada page", [(KOLADA, "wrong_shape", {"times": None})], "fail", "'values' list"),
    ("drift: renamed dimension", [(META, "rewrite", {"times": None, "transform": rename_dimension}),
                                  (DATA, "rewrite", {"times": None, "transform": rename_dimension})], "either", "Kön"),
    ("drift: new code", [(META, "rewrite", {"times": None, "transform": add_code})], "either", "9999"),
    ("drift: removed code", [(META, "rewrite", {"times": None, "transform": remove_code})], "fail", "0180"),
    ("drift: changed code", [(META, "rewrite", {"times": None, "transform": change_code})], "fail", "0180"),
    ("withdrawn table (404)", [(TABLE, "status", {"times": None, "status": 404})], "fail", "404"),
    ("withdrawn table (400)", [(DATA, "status", {"times": None, "status": 400})], "fail", "400"),
    ("Kolada 410", [(KOLADA, "status", {"times": None, "status": 410})], "fail", "410"),
    ("Kolada empty values", [(KOLADA, "empty_values", {"times": None})], "either", "N02268"),
    ("Kolada looping next_url", [(KOLADA, "next_loop", {"times": None})], "fail", "loops"),
    ("Kolada endless next_url", [(KOLADA, "next_endless", {"times": None})], "ok", ""),
    ("json-stat index not a permutation", [(DATA, "rewrite", {"times": None, "transform": scatter_region_index})], "fail", "dimension Region"),
    ("429 Retry-After nan", [(DATA, "429", {"times": 1, "retry_after": "nan"})], "ok", ""),
    ("429 Retry-After nan for ever", [(DATA, "429", {"times": None, "retry_after": "nan"})], "fail", "429"),
    ("headers trickled 1 byte at a time", [(META, "trickle_headers", {"times": None, "delay": 0.2, "give_up": 30})], "fail", "timed out"),
    ("JSON nested too deeply", [(DATA, "raw", {"times": None, "body": DEEP_JSON})], "fail", "nested too deeply"),
]  # fmt: skip


SLOW = ("timeout", "slow drip")  # each attempt lasts the whole request deadline


def _status() -> tuple[int, str]:
    result = runner.invoke(app, ["status"])
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.parametrize("name, faults, outcome, words", CASES,
                         ids=[c[0] if isinstance(c, tuple) else None for c in CASES])  # fmt: skip
def test_api_fault(case, standin, name, faults, outcome, words, monkeypatch) -> None:
    if name in SLOW:
        monkeypatch.setenv("LABOURDASH_HTTP_RETRIES", "0")  # one wait for the deadline, not three
    standin.set_updated("TAB3200", NEW_STAMP)  # both sources have something new to fetch
    standin.revise_kpi("N02268", date.today().isoformat(), shift=0.1)  # Kolada revised values
    for pattern, kind, params in faults:
        standin.fault(pattern, kind, **params)
    result = runner.invoke(app, ["refresh"])
    assert "Traceback" not in result.output
    after = case.check_rows()
    assert case.lost == 0, f"{case.lost} rows lost: {case.before.rows} -> {after.rows}"
    failed = result.exit_code != EXIT_OK
    if outcome == "ok" or (outcome == "either" and not failed):
        assert result.exit_code == EXIT_OK, result.output
        assert _status()[0] == 0
    else:
        assert outcome != "ok"
        assert result.exit_code == expected_exit(name), result.output
        failed_lines = [
            ln for ln in result.output.splitlines() if " failed " in ln and "updated" in ln
        ]
        assert len(failed_lines) == 1 and words in failed_lines[0], result.output  # one unit, why
        assert "refresh partial: 1 unit(s) failed" in " ".join(result.output.split())
        # the failed unit keeps its last complete data: no row of any mart table is lost (above)
        code, text = _status()
        assert code == 4 and "is stale" in text and words in text  # status tells the truth
        assert runlog.last(case.data / "runs.jsonl")["status"] == "partial"
        assert not list((case.data / "raw").glob("*/*/*/.*.tmp"))  # no .tmp bodies left
    standin.clear_faults()
    again = runner.invoke(app, ["refresh"])  # the next clean refresh succeeds
    assert again.exit_code == EXIT_OK, again.output
    assert _status()[0] == 0
    final = case.check_rows()
    assert case.lost == 0, f"{case.lost} rows lost after the clean refresh: {final.rows}"
