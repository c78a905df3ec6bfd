"""labourdash command line: refresh | rebuild | status | demo | serve. Logging is configured here only."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl import status as status_mod
from etl.settings import get_settings
from etl.warehouse import RefreshLocked

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 160)
EXIT_FAILED, EXIT_LOCKED = 1, 3


class Source(StrEnum):
    """Which API a refresh pulls from."""

    scb = "scb"
    kolada = "kolada"
    all = "all"


class RichProgress:
    """One progress bar per source."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def start(self, source: str, total: int) -> None:
        """Add a bar for a source."""
        self.tasks[source] = self.progress.add_task(source, total=total)

    def note(self, source: str, description: str) -> None:
        """Show what the source is doing without moving the bar."""
        self.progress.update(self.tasks[source], description=f"{source}: {description}")

    def advance(self, source: str, description: str) -> None:
        """Move a source's bar one step."""
        self.progress.update(self.tasks[source], advance=1, description=f"{source}: {description}")


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description:<32}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=False,
    )  # fmt: skip


def _print_report(report: dict) -> None:
    table = Table(title=f"Run {report.get('run_id')} ({report.get('kind')})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in sorted(report.get("rows", {}).items()):
        table.add_row(name, f"{n:,}")
    console.print(table)
    for change in report.get("changes", []):
        console.print(
            f"  {change['source']:7} {change['table_key']:20} {change['action']:10} updated {change.get('updated')}"
        )
    cc = report.get("crosscheck")
    if cc:
        console.print(
            f"Cross-check SCB vs Kolada: {cc['compared']:,} figures compared, "
            f"{cc['over_threshold']} differ by more than {cc['threshold_pp']} pp"
            + (f" (largest {cc['max_abs_diff_pp']} pp)" if cc["over_threshold"] else "")
        )
        for w in cc.get("worst", [])[:5]:
            console.print(f"    {w['area_code']} {w['year']} {w['sex']}/{w['birth_region']}: "
                          f"{w['scb_table']} {w['scb_value']} vs {w['kolada_kpi']} {w['kolada_value']}")  # fmt: skip
    if report.get("synthetic") in ("true", "partial"):
        console.print(f"[yellow]Warehouse contains SYNTHETIC values ({report['synthetic']}); "
                      f"real series: {', '.join(report.get('recorded_series') or []) or 'none'}[/]")  # fmt: skip


@app.command()
def refresh(
    source: Annotated[Source, typer.Option(help="Which API to pull from.")] = Source.all,
    full: Annotated[
        bool, typer.Option("--full", help="Fetch every table even if unchanged.")
    ] = False,
) -> None:
    """Pull changed tables from SCB and Kolada, then build and swap in a new warehouse."""
    from etl.pipeline import SOURCES, RefreshFailed
    from etl.pipeline import refresh as run_refresh

    settings = get_settings()
    sources = SOURCES if source == Source.all else (source.value,)
    try:
        with _progress() as bars:
            report = run_refresh(settings, sources, full, RichProgress(bars))
    except RefreshLocked as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(EXIT_LOCKED) from exc
    except RefreshFailed as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(EXIT_FAILED) from exc
    _print_report(report)


@app.command()
def rebuild() -> None:
    """Rebuild staging and mart from the raw archive, offline."""
    from etl.pipeline import rebuild as run_rebuild

    try:
        with _progress() as bars:
            report = run_rebuild(get_settings(), RichProgress(bars))
    except RefreshLocked as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(EXIT_LOCKED) from exc
    except Exception as exc:  # noqa: BLE001 - one clear line instead of a traceback
        console.print(f"[red]rebuild failed: {exc}. The previous warehouse is unchanged.[/]")
        raise typer.Exit(EXIT_FAILED) from exc
    _print_report(report)


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Last run, freshness per source, row counts; exits 1 when missing or the last run failed."""
    st = status_mod.collect(get_settings())
    if as_json:
        print(status_mod.to_json(st))
    else:
        console.print(f"Warehouse: {st.warehouse} ({'present' if st.exists else 'missing'})")
        if st.info:
            synth = st.info.get("synthetic")
            label = {"true": "[yellow]SYNTHETIC (demo)[/]", "partial": "[yellow]partly synthetic (demo)[/]"}.get(
                synth, "official statistics"
            )  # fmt: skip
            console.print(
                f"Contents: {label}; built {st.info.get('built_at')} by {st.info.get('kind')}"
            )
        if st.last_run:
            console.print(f"Last run: {st.last_run.get('kind')} {st.last_run.get('status')} "
                          f"started {st.last_run.get('started_at')}")  # fmt: skip
        if st.freshness:
            table = Table(title="Series in the warehouse")
            for col in (
                "source table",
                "indicator",
                "last year",
                "source updated",
                "fetched",
                "values",
            ):
                table.add_column(col, overflow="fold")
            for row in st.freshness:
                table.add_row(row["source_table"], row["indicator"], row["last_year"], row["source_updated"][:10],
                              row["fetched_at"][:16], row["values"])  # fmt: skip
            console.print(table)
        if st.rows:
            console.print("Rows: " + ", ".join(f"{k} {v:,}" for k, v in st.rows.items()))
        for p in st.problems:
            console.print(f"[red]{p}[/]")
    if not st.healthy:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def demo(
    recorded: Annotated[
        Path | None,
        typer.Option(
            help="Folder of recorded real responses (e.g. ../shared/recorded); they replace synthetic values."
        ),
    ] = None,
) -> None:
    """Build a demo warehouse: synthetic values over the real codes, clearly labelled synthetic."""
    from etl.demo import build_demo

    settings = get_settings()
    if recorded is not None and not recorded.is_dir():
        console.print(f"[red]--recorded {recorded} is not a folder[/]")
        raise typer.Exit(2)
    try:
        with _progress() as bars:
            task = bars.add_task("demo", total=None)
            report = build_demo(settings.db_path, recorded, settings,
                                progress=lambda msg: bars.update(task, description=f"demo: {msg}"))  # fmt: skip
    except RefreshLocked as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(EXIT_LOCKED) from exc
    _print_report(report)
    console.print(f"Demo warehouse written to {settings.db_path}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8050,
    workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 3,
    debug: Annotated[
        bool, typer.Option("--debug", help="Dash development server instead of gunicorn.")
    ] = False,
) -> None:
    """Serve the dashboard (gunicorn, several workers, read-only warehouse connections)."""
    settings = get_settings()
    if not settings.db_path.exists():
        console.print(
            f"[red]no warehouse at {settings.db_path}; run `labourdash demo` or `labourdash refresh` first[/]"
        )
        raise typer.Exit(EXIT_FAILED)
    if debug:
        from dashboard.app import create_app

        create_app().run(host=host, port=port, debug=True, dev_tools_disable_version_check=True)
        return
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    cmd = [gunicorn, "--workers", str(workers), "--bind", f"{host}:{port}", "--access-logfile", "-",
           "--limit-request-line", "0",  # the app answers over-long addresses itself (limits.py)
           "dashboard.app:server"]  # fmt: skip
    console.print(f"Serving on http://{host}:{port} with {workers} workers")
    env = {**os.environ, "LABOURDASH_DB": str(settings.db_path)}
    sys.stderr.flush()
    os.execve(gunicorn, cmd, env)  # gunicorn takes over the process: signals reach it directly


def main() -> None:
    """Entry point: configure logging once, then run the command."""
    level = os.environ.get("LABOURDASH_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(
        level=level, format="%(message)s", handlers=[RichHandler(console=console, show_path=False)]
    )
    app()


if __name__ == "__main__":
    main()

__all__ = ["app", "main", "json"]
