"""Print `shown/real` per Kolada recording and the real-row share of the headline series.

Usage: .venv/bin/python scripts/demo_truth.py WAREHOUSE.duckdb [RECORDED_DIR]
(RECORDED_DIR defaults to ../shared/recorded; the warehouse is a demo built with it.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from etl.demo.truth import real_share, shown_vs_recorded


def main(argv: list[str]) -> None:
    """Print both tables for one warehouse."""
    db = Path(argv[0])
    folder = Path(argv[1] if len(argv) > 1 else "../shared/recorded") / "kolada-values"
    con = duckdb.connect(str(db), read_only=True)
    try:
        print(shown_vs_recorded(con, folder).to_string(index=False))
        print()
        print(real_share(con).to_string(index=False))
    finally:
        con.close()


if __name__ == "__main__":
    main(sys.argv[1:])
