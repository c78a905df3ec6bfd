"""Benchmark: parsers from the raw response bytes, against the existing Python clients' paths.

1. json-stat2 at 149,688 cells (under SCB's 150,000-cell limit) with 5 % `..` cells carried in a
   `status` object, like the real TAB3267 recording: `etl.parse.jsonstat.parse_bytes` against
   pxwebpy 0.6 (`json.loads`, as `requests.Response.json()` does, then `unpack_table_data` and a
   DataFrame). Values are asserted identical (pxwebpy's None = our NaN).
2. A Kolada v3 values page of 5,000 items: `etl.parse.kolada.parse_values_bytes` against koladapy's
   DataFrame path (`json.loads`, `koladapy.utils.flatten_data`, `pd.DataFrame`) on the same bytes.
   Values asserted identical.

Prints figures and writes benchmarks/out/bench_parse.json; never fails on time.
Run: make bench  (or .venv/bin/python benchmarks/bench_parse.py)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.benchlib import median_time, paired_medians, quick, row, write_rows  # noqa: E402
from etl.demo import synthetic  # noqa: E402
from etl.parse import jsonstat, kolada  # noqa: E402

try:
    from importlib.metadata import version

    from pxweb._internal.functions import unpack_table_data

    PXWEBPY = f"pxwebpy {version('pxwebpy')}"
except ImportError:  # pxwebpy is in the bench extra
    unpack_table_data, PXWEBPY = None, None
try:
    from koladapy.utils import flatten_data

    KOLADAPY = f"koladapy {version('koladapy')}"
except ImportError:  # koladapy is in the bench extra
    flatten_data, KOLADAPY = None, None

SUPPRESSED_SHARE = 0.05


def jsonstat_bytes() -> bytes:
    """149,688 cells of TAB3200's shape, 5 % of them null with a `..` status, as JSON bytes."""
    meta = synthetic.scb_metadata("TAB3200")
    regions = list(meta["dimension"]["Region"]["category"]["index"])
    selection = {
        "Region": regions[:198], "Kon": ["1", "2", "1+2"], "Alder": ["20-64", "20-65", "20-66"],
        "Fodelseregion": ["tot", "in", "ut"], "ContentsCode": ["000002NS", "000002NT", "000002NU",
        "000002NN", "000002NM", "000002NL", "000002NK"], "Tid": ["2020", "2021", "2022", "2023"],
    }  # fmt: skip
    doc = json.loads(json.dumps(synthetic.scb_dataset(meta, selection)))
    n = len(doc["value"])
    rng = np.random.default_rng(3267)
    hidden = np.sort(rng.choice(n, size=int(n * SUPPRESSED_SHARE), replace=False))
    for pos in hidden:
        doc["value"][pos] = None
    doc["status"] = {str(int(p)): ".." for p in hidden}  # as TAB3267: {"132": "..", ...}
    doc["note"] = [".. = Uppgiften är inte tillgänglig"]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def kolada_bytes(items: int = 5000) -> bytes:
    """One Kolada v3 values page: `items` area-years of three genders, a few values missing."""
    rng = np.random.default_rng(2267)
    values = []
    for i in range(items):
        genders = []
        for g in ("K", "M", "T"):
            missing = rng.random() < 0.02
            genders.append({"gender": g, "count": 1, "status": "Saknas" if missing else "",
                            "value": None if missing else round(float(rng.uniform(40, 90)), 1)})  # fmt: skip
        values.append({"kpi": "N02267", "municipality": f"{1000 + i % 290:04d}",
                       "period": 1997 + i // 290, "values": genders})  # fmt: skip
    page = {"values": values, "count": items, "next_url": None, "previous_url": None}
    return json.dumps(page, separators=(",", ":")).encode("utf-8")


def _pxwebpy(content: bytes) -> pd.DataFrame:
    return pd.DataFrame(unpack_table_data(json.loads(content), show="code"))


def _koladapy(content: bytes) -> pd.DataFrame:
    return pd.DataFrame(flatten_data(json.loads(content)["values"]))


def check_jsonstat(content: bytes) -> int:
    """Assert our values equal pxwebpy's, cell by cell; return the number of `..` cells."""
    ours = jsonstat.parse_bytes(content).frame
    theirs = _pxwebpy(content)
    theirs_values = pd.to_numeric(theirs["value"], errors="coerce").to_numpy(dtype=float)
    np.testing.assert_array_equal(ours["value"].to_numpy(), theirs_values)
    for dim in jsonstat.parse_bytes(content).dimension_labels:
        label = json.loads(content)["dimension"][dim]["label"]
        assert list(ours[dim].astype(str)) == list(theirs[label]), dim
    suppressed = int((ours["status"] == "suppressed").sum())
    assert suppressed == int(np.isnan(theirs_values).sum()) > 0
    return suppressed


def check_kolada(content: bytes) -> None:
    """Assert our Kolada values and keys equal koladapy's, row by row."""
    ours = kolada.parse_values_bytes(content)
    theirs = _koladapy(content)
    assert len(ours) == len(theirs)
    np.testing.assert_array_equal(
        ours["value"].to_numpy(), pd.to_numeric(theirs["value"]).to_numpy(dtype=float)
    )
    assert list(ours["area_code"]) == list(theirs["municipality"])
    assert list(ours["year"]) == list(theirs["period"])
    assert list(ours["gender"]) == list(theirs["gender"])


def main() -> None:
    """Print median times and write the rows."""
    runs, peer_runs = (2, 2) if quick() else (9, 9)
    rows = []
    content = jsonstat_bytes()
    cells = len(json.loads(content)["value"])
    ours = median_time(lambda: jsonstat.parse_bytes(content), runs)
    print(f"json-stat2: {cells:,} cells, {len(content) / 2**20:.1f} MiB")
    print(f"  etl.parse.jsonstat.parse_bytes  median {ours * 1000:8.1f} ms")
    if unpack_table_data is not None:
        suppressed = check_jsonstat(content)
        ours, theirs = paired_medians(lambda: jsonstat.parse_bytes(content),
                                      lambda: _pxwebpy(content), runs, peer_runs)  # fmt: skip
        ratio = theirs / ours
        print(f"  {PXWEBPY} + DataFrame        median {theirs * 1000:8.1f} ms   {ratio:.1f}x; "
              f"values identical, {suppressed:,} '..' cells")  # fmt: skip
        rows.append(row(f"json-stat2 from bytes, {cells:,} cells, {suppressed:,} `..`, vs pxwebpy",
                        ">= 20x pxwebpy, identical values", f"{ours * 1000:.1f} ms", ours, "s",
                        runs=runs, peer=f"{PXWEBPY}: {theirs * 1000:.0f} ms", peer_value=theirs,
                        ratio=ratio, met=ratio >= 20))  # fmt: skip
    else:
        print("  pxwebpy not installed (pip install -e '.[bench]')")
    content = kolada_bytes()
    ours = median_time(lambda: kolada.parse_values_bytes(content), runs)
    print(f"kolada page: 5,000 items, {len(content) / 2**20:.1f} MiB")
    print(f"  etl.parse.kolada.parse_values_bytes  median {ours * 1000:8.1f} ms")
    if flatten_data is not None:
        check_kolada(content)
        ours, theirs = paired_medians(lambda: kolada.parse_values_bytes(content),
                                      lambda: _koladapy(content), runs, peer_runs)  # fmt: skip
        ratio = theirs / ours
        print(f"  {KOLADAPY} flatten + DataFrame     median {theirs * 1000:8.1f} ms   {ratio:.1f}x")
        rows.append(row("Kolada v3 page (5,000 items) from bytes vs koladapy",
                        ">= 5x koladapy, identical values", f"{ours * 1000:.1f} ms", ours, "s",
                        runs=runs, peer=f"{KOLADAPY}: {theirs * 1000:.0f} ms", peer_value=theirs,
                        ratio=ratio, met=ratio >= 5))  # fmt: skip
    else:
        print("  koladapy not installed (pip install -e '.[bench]')")
    write_rows("bench_parse", rows)


if __name__ == "__main__":
    main()
