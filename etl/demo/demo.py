"""`labourdash demo`: a demo warehouse of synthetic values over the real codes, clearly labelled.

The generated responses go into a separate raw archive (data/demo-raw) in exactly the shapes the
APIs return, so the demo is built by the same parse -> staging -> mart code as a real refresh.
With a folder of recorded real responses, those are archived too and win over synthetic values
for every key they cover (whatever the source priority, etl/mart.py); the synthetic world is then
calibrated on the recorded Kolada rates (etl/demo/calibrate.py) and the warehouse records which
series are real. A `Scale` (more
areas, fewer years: benchmarks) is applied here, in the demo only: see etl/demo/scale.py.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

from etl import reference, seeds
from etl.archive import Archive, Provenance, new_run_id
from etl.build import BuildInfo, build
from etl.demo import synthetic
from etl.demo.calibrate import using_recordings
from etl.demo.kolada_v3 import ddf_to_v3
from etl.demo.scale import Scale, using_reference, write_reference
from etl.demo.world import calibration_misses
from etl.settings import Settings
from etl.sources.pxweb import resolve_selection
from etl.warehouse import refresh_lock

log = logging.getLogger(__name__)
DEMO_URL = "synthetic://labourdash-demo"


def _dump(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _recorded_scb(recorded_dir: Path | None, table_id: str) -> list[dict]:
    if recorded_dir is None:
        return []
    folder = recorded_dir / "scb" / table_id
    return (
        [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]
        if folder.exists()
        else []
    )


def _scb_tables(archive: Archive, run_id: str, recorded_dir: Path | None, progress,
                years: tuple[int, int] | None = None) -> list[str]:  # fmt: skip
    """Archive generated (and recorded) SCB responses for every table in seeds."""
    real: list[str] = []
    recorded_regso = _recorded_regso(recorded_dir)
    for row in seeds.scb_tables().itertuples():
        key = row.table_key
        writer = archive.table_writer(run_id, "scb", key)
        recorded = _recorded_scb(recorded_dir, row.table_id) if row.table_id else []
        rec_meta = next((r for r in recorded if r.get("kind") == "metadata"), None)
        meta = synthetic.scb_metadata(key, years=years)
        if rec_meta is not None:
            meta_doc = rec_meta["response"]
            writer.add(_dump(meta_doc), Provenance("scb", key, "metadata", "jsonstat2", rec_meta["url"],
                                                   rec_meta["fetchedAt"], updated=meta_doc.get("updated"),
                                                   lang=rec_meta.get("lang", "sv")))  # fmt: skip
        else:
            writer.add(_dump(meta), Provenance("scb", key, "metadata", "jsonstat2", f"{DEMO_URL}/scb/{key}/metadata",
                                               _now(), updated=meta["updated"], lang="sv", synthetic=True))  # fmt: skip
        selection = _full_selection(meta, key)
        if key == "REGSO_LABOUR" and recorded_regso:
            covered = {c[:4] for c in recorded_regso["codes"]}
            selection["Region"] = [c for c in selection["Region"] if c[:4] not in covered]
        data = synthetic.scb_dataset(meta, selection)
        writer.add(_dump(data), Provenance("scb", key, "data", "jsonstat2", f"{DEMO_URL}/scb/{key}/data",
                                           _now(), method="POST", query=selection, updated=meta["updated"],
                                           lang="sv", synthetic=True))  # fmt: skip
        for rec in recorded:
            if rec.get("kind") == "data" and _fits(rec.get("selection"), key):
                writer.add(_dump(rec["response"]), Provenance(
                    "scb", key, "data", "jsonstat2", rec["url"], rec["fetchedAt"], method="POST",
                    query=rec.get("selection"), updated=rec["response"].get("updated"), lang=rec.get("lang")))  # fmt: skip
                real.append(key)
        if key == "REGSO_LABOUR" and recorded_regso:
            writer.add(recorded_regso["body"], Provenance(
                "scb", key, "data", "pxweb_v1", recorded_regso["url"], recorded_regso["fetched_at"],
                updated=recorded_regso["updated"], lang="en"))  # fmt: skip
            real.append(key)
        writer.commit(meta["updated"])
        progress(f"scb {key}")
    return sorted(set(real))


def _fits(selection: dict | None, table_key: str) -> bool:
    """True when a recorded selection lies inside the seeds selection of `table_key`.

    Two keys can share an SCB table (TAB3200 and its age bands TAB3200_AGE); a recording
    belongs to the key whose listed codes cover it.
    """
    for var, rule in seeds.selection_spec(table_key).items():
        if rule == "*" or rule.startswith("label:") or var not in (selection or {}):
            continue
        if not set(selection[var]) <= set(rule.split(";")):
            return False
    return True


def _recorded_regso(recorded_dir: Path | None) -> dict | None:
    if recorded_dir is None:
        return None
    files = sorted((recorded_dir / "scb-regso").glob("*/IntGr1RegSOBASN.json"))
    if not files:
        return None
    path = files[0]
    doc = json.loads(path.read_bytes())
    return {
        "body": path.read_bytes(),
        "codes": sorted({r["key"][0] for r in doc["data"]}),
        "updated": (doc.get("metadata") or [{}])[0].get("updated"),
        "url": f"recorded://{path.relative_to(recorded_dir)}",
        "fetched_at": datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(),
    }


def _full_selection(meta: dict, table_key: str) -> dict[str, list[str]]:
    """The refresh's own selection of a table (seeds' specs resolved against its metadata)."""
    return resolve_selection(meta, seeds.selection_spec(table_key))


def _kolada(archive: Archive, run_id: str, recorded_dir: Path | None, progress,
            span: tuple[int, int] | None = None) -> list[str]:  # fmt: skip
    """Archive generated (and recorded) Kolada values for every KPI in seeds, plus the groups."""
    real = []
    areas = (
        ["0000"]
        + list(reference.counties().kolada_region_id)
        + list(reference.municipalities().kommun_kod)
    )
    years = list(range(seeds.first_year("kolada"), 2025))
    for kpi in seeds.kolada_kpis():
        writer = archive.table_writer(run_id, "kolada", kpi)
        page = {"values": synthetic.kolada_values(kpi, areas, years, span), "next_url": None,
                "previous_url": None, "synthetic": True}  # fmt: skip
        page["count"] = len(page["values"])
        writer.add(_dump(page), Provenance("kolada", kpi, "values", "kolada_values",
                                           f"{DEMO_URL}/kolada/data/kpi/{kpi}", _now(), synthetic=True))  # fmt: skip
        folder = recorded_dir / "kolada-values" if recorded_dir else None
        if folder and folder.exists():
            by_gender = folder / f"ddf--datapoints--{kpi.lower()}--by--geo--gender--year.csv"
            total = folder / f"ddf--datapoints--{kpi.lower()}--by--geo--year.csv"
            if by_gender.exists() or total.exists():
                doc = ddf_to_v3(kpi, by_gender.read_text("utf-8") if by_gender.exists() else None,
                                total.read_text("utf-8") if total.exists() else None)  # fmt: skip
                stamp = max(p.stat().st_mtime for p in (by_gender, total) if p.exists())
                recorded_at = datetime.fromtimestamp(stamp, UTC).isoformat()
                writer.add(_dump(doc), Provenance("kolada", kpi, "values", "kolada_values",
                                                  f"recorded://kolada-values/{kpi.lower()}", recorded_at))  # fmt: skip
                real.append(kpi)
        writer.commit("synthetic")
        progress(f"kolada {kpi}")
    groups = reference.kolada_file("kolada_municipality_groups.json")
    writer = archive.table_writer(run_id, "kolada", "municipality_groups")
    writer.add(groups.read_bytes(), Provenance("kolada", "municipality_groups", "groups", "kolada_groups",
                                               f"reference://{groups.name}", _now()))  # fmt: skip
    writer.commit(None)
    return real


def _scaled_reference(db_path: Path, settings: Settings, scale: Scale) -> Path | None:
    """The scaled reference folder beside the demo archive (written now), or None at 1x."""
    if scale.multiplier <= 1:
        return None
    target = db_path.parent / "demo-reference" / f"x{scale.multiplier}"
    return write_reference(settings.reference_dir, target, scale.multiplier)


def build_demo(db_path: Path, recorded_dir: Path | None = None, settings: Settings | None = None,
               progress=lambda msg: None, scale: Scale | None = None) -> dict:  # fmt: skip
    """Generate the demo archive and build the demo warehouse at `db_path`; returns the run report.

    With `scale.multiplier` above 1 the demo's world and build read a scaled copy of the reference
    folder, written beside the demo archive; `scale.years` cuts the generated tables' years.
    """
    settings = settings or Settings()
    scale = scale or Scale()
    archive = Archive(db_path.parent / "demo-raw")
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    with (refresh_lock(db_path.parent / "refresh.lock"),
          using_reference(_scaled_reference(db_path, settings, scale)),
          using_recordings(recorded_dir)):  # fmt: skip
        real = _scb_tables(archive, run_id, recorded_dir, progress, scale.years)
        real += _kolada(archive, run_id, recorded_dir, progress, scale.years)
        writer = archive.table_writer(run_id, "scb", "boundaries_regso")
        writer.add(_dump(synthetic.regso_boundaries()), Provenance(
            "scb", "boundaries_regso", "boundaries", "geojson", f"{DEMO_URL}/geodata/RegSO", _now(), synthetic=True))  # fmt: skip
        writer.commit("synthetic")
        progress("boundaries")
        info = BuildInfo(run_id, "demo", started, scb_url=DEMO_URL, kolada_url=DEMO_URL,
                         crosscheck_pp=settings.crosscheck_pp,
                         extra_report={"recorded_dir": str(recorded_dir) if recorded_dir else None,
                                       "recorded_series": real,
                                       "calibration_misses": calibration_misses()})  # fmt: skip
        report = build(archive, db_path, info)
    progress("built")
    return report
