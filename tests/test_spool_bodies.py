"""Bodies streamed to the archive's `raw/.tmp`: hashed on the way, moved into place, deleted at the
cap, after an error answer, when nobody archives them, and by housekeeping after a kill."""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

import pytest

from etl import housekeeping
from etl.archive import Archive, Provenance
from etl.settings import Settings
from etl.sources.http import HttpFetcher, ResponseTooLarge, ServerError
from etl.sources.spool import SUFFIX

TABLE = "/tables/TAB3200"


def _spooled(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


@pytest.fixture
def spool_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "raw" / ".tmp"


def _fetcher(spool_dir: Path, **kw) -> HttpFetcher:
    kw = {"timeout": 30, "retries": 0, "sleep": lambda s: None, **kw}
    return HttpFetcher(spool_dir=spool_dir, **kw)


def test_body_is_spooled_hashed_and_moved_into_the_archive(standin, spool_dir, tmp_path) -> None:
    with _fetcher(spool_dir) as f:
        result = f.get(standin.scb_url + TABLE + "/metadata", {"lang": "sv"})
    (spooled,) = spool_dir.glob(f"*{SUFFIX}")
    exact = spooled.read_bytes()
    assert result.size == len(exact) > 1000
    assert result.sha256 == hashlib.sha256(exact).hexdigest()
    assert result.json()["class"] == "dataset"  # parsed from the file
    archive = Archive(tmp_path / "data" / "raw")
    writer = archive.table_writer("20261206T000000000000Z", "scb", "t")
    prov = Provenance("scb", "t", "metadata", "jsonstat2", result.url, "2026-12-06T00:00:00+00:00")
    archived = writer.add(result.body, prov)
    writer.commit("2026-01-01")
    assert _spooled(spool_dir) == []  # moved, not copied
    assert archived.path.read_bytes() == exact and result.content == exact
    assert (prov.sha256, prov.bytes) == (result.sha256, result.size)
    assert archive.verify() == []  # size and sha256 as recorded
    # the same body archived twice (a second writer) is copied: the first copy stays
    again = archive.table_writer("20261206T000000000001Z", "scb", "t").add(result.body, prov)
    assert again.path.read_bytes() == exact and archived.path.read_bytes() == exact


def test_body_over_the_cap_is_deleted_with_one_line(standin, spool_dir) -> None:
    standin.fault(TABLE, "huge", times=None, size=8 * 1024 * 1024)
    capped = _fetcher(spool_dir, max_response_bytes=1024 * 1024)
    with capped as f, pytest.raises(ResponseTooLarge) as caught:
        f.get(standin.scb_url + TABLE)
    message = str(caught.value)
    assert "\n" not in message and "larger than the cap of 1 MB" in message, message
    assert "reading stopped and the partial body deleted" in message, message
    assert _spooled(spool_dir) == []


def test_error_answer_and_unarchived_body_leave_no_file(standin, spool_dir) -> None:
    standin.fault(TABLE + "$", 500, times=None)
    with _fetcher(spool_dir) as f:
        with pytest.raises(ServerError):
            f.get(standin.scb_url + TABLE)
        assert _spooled(spool_dir) == []
        result = f.get(standin.scb_url + TABLE + "/metadata", {"lang": "sv"})
        assert len(_spooled(spool_dir)) == 1
        del result  # never archived (e.g. an unchanged table's info): its file goes with it
        gc.collect()
    assert _spooled(spool_dir) == []


def test_housekeeping_removes_what_a_killed_fetch_left(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "data" / "labour.duckdb"))
    settings = Settings()
    settings.spool_dir.mkdir(parents=True)
    left = settings.spool_dir / f".abc{SUFFIX}"
    left.write_bytes(b'{"half": ')
    other = settings.spool_dir / "keep.txt"  # not a spooled body: not ours to delete
    other.write_text("x")
    removed = housekeeping.clean_stale(settings)
    assert left in removed and not left.exists() and other.exists()


def test_refresh_archives_streamed_bodies_and_leaves_none(standin, tmp_path, monkeypatch) -> None:
    """A refresh of one table and one KPI: every archived body checks out, raw/.tmp is empty."""
    from typer.testing import CliRunner

    from etl.cli import app
    from tests.catalogue import use_catalogue

    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "data" / "labour.duckdb"))
    use_catalogue(monkeypatch, ("TAB3200",), ("N02267",))
    result = CliRunner().invoke(app, ["refresh"])
    assert result.exit_code == 0, result.output
    settings = Settings()
    archive = Archive(settings.raw_dir)
    bodies = [r for t in archive.current() for r in t.responses]
    assert len(bodies) >= 4 and archive.problems == {}
    assert all(r.provenance.bytes == r.path.stat().st_size > 0 for r in bodies)
    assert _spooled(settings.spool_dir) == []
    again = CliRunner().invoke(app, ["refresh"])  # nothing changed: table info fetched, not kept
    assert again.exit_code == 0, again.output
    assert _spooled(settings.spool_dir) == []
